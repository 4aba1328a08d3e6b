package dev.peergate.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import dev.peergate.autoconfigure.PeergateProperties.Listener;
import dev.peergate.core.CallVerdictSink;
import dev.peergate.core.EditDistance;
import dev.peergate.core.LogLimiter;
import dev.peergate.core.LoggingVerdictSink;
import dev.peergate.core.PeerListener;
import dev.peergate.core.PeerRequirement;
import dev.peergate.core.TransportEvents;
import dev.peergate.core.VerdictLedger;
import dev.peergate.core.VerdictSink;
import dev.peergate.event.ApplicationEventCallVerdictSink;
import dev.peergate.event.ApplicationEventVerdictSink;
import dev.peergate.handler.CallInterceptor;
import dev.peergate.handler.CallObserver;
import dev.peergate.handler.Dispatcher;
import dev.peergate.handler.HandlerExecutor;
import dev.peergate.handler.HandlerLimits;
import dev.peergate.handler.IpcClients;
import dev.peergate.handler.IpcError;
import dev.peergate.handler.IpcInterface;
import dev.peergate.handler.MethodDescriptor;
import dev.peergate.handler.MethodRegistry;
import dev.peergate.handler.MethodRequirements;
import dev.peergate.varlink.VarlinkIdl;
import dev.peergate.varlink.VarlinkServiceInterface;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.ResourceLoader;

/**
 * Auto-configuration of Peergate's listeners: one {@link PeerListener} per {@code peergate.listeners.<name>},
 * each with its {@link dev.peergate.core.Gate}, all reporting through one {@link VerdictSink} fan-out and serving the application's
 * {@link IpcInterface} beans.
 *
 * <pre>{@code
 * new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(PeergateAutoConfiguration.class))
 *     .withPropertyValues("peergate.listeners.helper.transport=in-process",
 *             "peergate.listeners.helper.requirement.same-user=true")
 *     .run(context -> assertThat(context).hasSingleBean(PeergateListeners.class));
 * }</pre>
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "peergate.enabled", matchIfMissing = true)
@EnableConfigurationProperties(PeergateProperties.class)
@ImportRuntimeHints(PeergateRuntimeHints.class)
public final class PeergateAutoConfiguration {

	/** Static: the binder looks its converters up before this configuration is instantiated. */
	@Bean
	@ConfigurationPropertiesBinding
	static FactDictionaryConverter peergateFactDictionaryConverter() {
		return new FactDictionaryConverter();
	}

	@Bean
	@ConditionalOnMissingBean
	VerdictLedger peergateVerdictLedger(PeergateProperties properties) {
		return new VerdictLedger(SettingChecks.atLeast(properties.getEndpoint().getRecentRejections(), 0,
				"peergate.endpoint.recent-rejections", "20"));
	}

	@Bean
	@ConditionalOnMissingBean
	ApplicationEventVerdictSink peergateApplicationEventVerdictSink(ApplicationEventPublisher publisher,
			PeergateProperties properties) {
		return new ApplicationEventVerdictSink(publisher, properties.getEvents().isPublishAccepted());
	}

	/** Refusals reach the log, rate-limited: a peer decides how often it is refused. */
	@Bean
	@ConditionalOnMissingBean
	ApplicationEventCallVerdictSink peergateApplicationEventCallVerdictSink(ApplicationEventPublisher publisher,
			PeergateProperties properties) {
		return new ApplicationEventCallVerdictSink(publisher, properties.getEvents().isPublishAllowedCalls());
	}

	@Bean
	@ConditionalOnMissingBean
	LoggingVerdictSink peergateLoggingVerdictSink(PeergateProperties properties) {
		return new LoggingVerdictSink(logInterval(properties));
	}

	private static Duration logInterval(PeergateProperties properties) {
		return SettingChecks.notNegative(properties.getLogging().getInterval(), "peergate.logging.interval", "1m");
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	HandlerExecutor peergateHandlerExecutor(PeergateProperties properties) {
		PeergateProperties.Handlers handlers = properties.getHandlers();
		int maxConcurrent = SettingChecks.atLeast(handlers.getMaxConcurrent(), 1, "peergate.handlers.max-concurrent", "64");
		int queueCapacity = SettingChecks.atLeast(handlers.getQueueCapacity(), 0, "peergate.handlers.queue-capacity", "256");
		return handlers.isVirtualThreads() ? HandlerExecutor.create(maxConcurrent, queueCapacity)
				: HandlerExecutor.platform(maxConcurrent, queueCapacity);
	}

	@Bean
	@ConditionalOnMissingBean
	MethodRegistry peergateMethodRegistry(ApplicationContext context, PeergateProperties properties,
			ObjectProvider<BuildProperties> buildProperties) {
		// GetInfo describes the user's service, not Peergate: the application's name and build, unless configured
		PeergateProperties.Service service = properties.getService();
		BuildProperties build = buildProperties.getIfAvailable();
		String product = (service.getProduct() != null) ? service.getProduct()
				: context.getEnvironment().getProperty("spring.application.name", "application");
		String vendor = (service.getVendor() != null) ? service.getVendor()
				: (build != null && build.getGroup() != null) ? build.getGroup() : product;
		String version = (service.getVersion() != null) ? service.getVersion()
				: (build != null && build.getVersion() != null) ? build.getVersion() : "unknown";
		AtomicReference<MethodRegistry> self = new AtomicReference<>();
		VarlinkServiceInterface varlinkService = new VarlinkServiceInterface(vendor, product, version, service.getUrl(),
				self::get);
		List<Object> beans = new ArrayList<>(context.getBeansWithAnnotation(IpcInterface.class).values());
		beans.removeIf(IpcClients::isClient); // the beans of peergate.clients call servers; they serve nothing
		beans.add(varlinkService);
		self.set(MethodRegistry.of(beans));
		// Fail at startup, not at a client's first GetInterfaceDescription, when a record cannot be described.
		self.get().interfaces().forEach(VarlinkIdl::describe);
		return self.get();
	}

	@Bean
	@ConditionalOnMissingBean
	UnixListenerFactory peergateUnixListenerFactory(ObjectProvider<UnixListenerCustomizer> customizers) {
		return new UnixListenerFactory(customizers.orderedStream().toList());
	}

	@Bean
	@ConditionalOnMissingBean
	XpcListenerFactory peergateXpcListenerFactory(ObjectProvider<XpcListenerCustomizer> customizers) {
		return new XpcListenerFactory(customizers.orderedStream().toList());
	}

	@Bean
	@ConditionalOnMissingBean
	InProcessListenerFactory peergateInProcessListenerFactory() {
		return new InProcessListenerFactory();
	}

	@Bean
	@ConditionalOnMissingBean
	PeergateListeners peergateListeners(PeergateProperties properties, ConfigurableEnvironment environment,
			MethodRegistry registry, HandlerExecutor executor, ObjectProvider<VerdictSink> sinks,
			ObjectProvider<CallVerdictSink> callSinks, ObjectProvider<CallObserver> callObserver,
			ObjectProvider<TransportEvents> transportEvents, ObjectProvider<PeerListenerFactory<?>> factories,
			ObjectProvider<CallInterceptor> interceptors, ApplicationEventPublisher publisher,
			ResourceLoader resourceLoader) {
		ListenerKeys.validate(environment, properties.getListeners().keySet());
		List<ListenerDefinition> definitions = new ArrayList<>();
		Map<String, Map<String, PeerRequirement>> methodRequirements = new LinkedHashMap<>();
		Set<String> auditedMethods = new LinkedHashSet<>();
		for (Map.Entry<String, Listener> entry : properties.getListeners().entrySet()) {
			ListenerDefinition definition = ListenerDefinitions.resolve(entry.getKey(), entry.getValue(), environment);
			refuseUnknownMethods(definition, entry.getValue(), registry);
			definitions.add(definition);
			methodRequirements.put(definition.name(), definition.methodRequirements());
			definition.auditedMethods().forEach((method) -> auditedMethods.add(definition.name() + "/" + method));
		}
		TransportEvents events = transportEvents.getIfUnique(TransportEvents::none);
		CallVerdictSink callSink = CallVerdictSink.fanOut(callSinks.orderedStream().toList());
		List<CallInterceptor> around = new ArrayList<>();
		PolkitActions.interceptor(properties, definitions, registry, callSink, resourceLoader.getClassLoader())
			.ifPresent(around::add);
		AuthorizationRights.interceptor(properties, definitions, registry, callSink).ifPresent(around::add);
		around.addAll(interceptors.orderedStream().toList());
		Dispatcher dispatcher = new Dispatcher(registry, executor, handlerLimits(properties.getHandlers()),
				callObserver.getIfUnique(CallObserver::none), new LogLimiter(logInterval(properties)), events,
				new MethodRequirements(methodRequirements, auditedMethods, callSink), around);
		ListenerServices services = new ListenerServices(dispatcher,
				VerdictSink.fanOut(sinks.orderedStream().toList()), events, callSink);
		List<PeerListenerFactory<?>> available = factories.orderedStream().toList();
		List<PeerListener> listeners = new ArrayList<>();
		for (ListenerDefinition definition : definitions) {
			listeners.add(create(definition, available, services));
		}
		refuseSharedAddresses(listeners);
		// Under AOT the condition on peergate.enabled was evaluated at build time: the listeners honour it at startup
		return new PeergateListeners(listeners, publisher,
				() -> environment.getProperty("peergate.enabled", Boolean.class, true),
				SettingChecks.notNegative(properties.getShutdown().getDrainTimeout(), "peergate.shutdown.drain-timeout", "10s"));
	}

	/** A method requirement for a method the listener does not serve would protect nothing: refused, with the nearest. */
	private static void refuseUnknownMethods(ListenerDefinition definition, Listener listener, MethodRegistry registry) {
		for (String method : listener.getMethods().keySet()) {
			try {
				registry.lookup(definition.name(), method);
			}
			catch (IpcError ex) {
				List<String> known = registry.interfaces()
					.stream()
					.flatMap((descriptor) -> descriptor.methods().values().stream())
					.map(MethodDescriptor::qualifiedName)
					.toList();
				String nearest = known.stream()
					.min(java.util.Comparator.comparingInt((String candidate) -> EditDistance.between(candidate, method)))
					.orElse("com.example.helper.ClearCache");
				throw new ListenerConfigurationException(
						"peergate.listeners." + definition.name() + ".methods[" + method + "]",
						"names no method this listener serves",
						"Write the fully qualified varlink method, e.g. " + nearest + "; the listener serves "
								+ String.join(", ", known));
			}
		}
	}

	/**
	 * Two listeners on one socket path or Mach service name: the second would find the first one's socket "live"
	 * and refuse to start with a misleading message, so it is refused here, naming both.
	 */
	private static void refuseSharedAddresses(List<PeerListener> listeners) {
		Map<String, PeerListener> byAddress = new HashMap<>();
		for (PeerListener listener : listeners) {
			if (listener.transport().equals("in-process")) {
				continue;
			}
			String address = listener.transport().equals("unix")
					? Path.of(listener.address()).toAbsolutePath().normalize().toString() : listener.address();
			PeerListener first = byAddress.putIfAbsent(listener.transport() + ":" + address, listener);
			if (first != null) {
				String property = listener.transport().equals("unix") ? "unix.path" : "xpc.service-name";
				throw new ListenerConfigurationException("peergate.listeners." + listener.name() + "." + property,
						"is " + listener.address() + ", which listener '" + first.name() + "' uses too",
						"Give each listener its own address (peergate.listeners." + first.name() + "." + property
								+ " is the other)");
			}
		}
	}

	private static HandlerLimits handlerLimits(PeergateProperties.Handlers handlers) {
		return new HandlerLimits(SettingChecks.notNegative(handlers.getTimeout(), "peergate.handlers.timeout", "30s"),
				SettingChecks.notNegative(handlers.getMaxStreamDuration(), "peergate.handlers.max-stream-duration",
						"30m"),
				SettingChecks.atLeast(handlers.getMaxConcurrentPerUid(), 1, "peergate.handlers.max-concurrent-per-uid",
						"16"));
	}

	/** The listener of the first factory that builds this kind of definition. */
	private static <D extends ListenerDefinition> PeerListener create(ListenerDefinition definition,
			List<PeerListenerFactory<?>> factories, ListenerServices services) {
		for (PeerListenerFactory<?> factory : factories) {
			if (factory.definitionType().isInstance(definition)) {
				@SuppressWarnings("unchecked")
				PeerListenerFactory<D> matching = (PeerListenerFactory<D>) factory;
				return matching.create(matching.definitionType().cast(definition), services);
			}
		}
		throw new IllegalStateException("No PeerListenerFactory bean builds " + definition.getClass().getSimpleName()
				+ " listeners (listener '" + definition.name() + "')");
	}

}
