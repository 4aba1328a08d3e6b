package dev.peergate.autoconfigure;

import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers one bean per {@code peergate.clients.<name>}, named {@code <name>PeergateClient} and typed by the
 * client's interface, so that it is injected by that type. The client is built, its settings validated, by
 * {@link PeergateClientFactory} when the bean is created.
 */
final class PeergateClientsRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware, BeanClassLoaderAware {

	/** Suffix of a client bean's name. */
	static final String BEAN_NAME_SUFFIX = "PeergateClient";

	private @Nullable Environment environment;

	private @Nullable ClassLoader classLoader;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void setBeanClassLoader(ClassLoader classLoader) {
		this.classLoader = classLoader;
	}

	@Override
	public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		if (this.environment == null) {
			return;
		}
		ListenerKeys.validateClients(this.environment);
		Map<String, PeergateClientProperties.Declared> clients = Binder.get(this.environment)
			.bind("peergate.clients", Bindable.mapOf(String.class, PeergateClientProperties.Declared.class))
			.orElse(Map.of());
		BeanFactory beanFactory = (BeanFactory) registry;
		clients.forEach((name, declared) -> {
			Class<?> api = PeergateClientFactory.api(name, declared.getInterface(), this.classLoader);
			register(registry, beanFactory, name, api);
		});
	}

	private static <T> void register(BeanDefinitionRegistry registry, BeanFactory beanFactory, String name,
			Class<T> api) {
		RootBeanDefinition definition = new RootBeanDefinition(api,
				() -> beanFactory.getBean(PeergateClientFactory.class).create(name, api));
		definition.setDescription("Peergate client '" + name + "' (peergate.clients." + name + ")");
		registry.registerBeanDefinition(name + BEAN_NAME_SUFFIX, definition);
	}

}
