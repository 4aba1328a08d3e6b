package dev.peergate.autoconfigure;

import java.lang.reflect.Method;
import java.lang.reflect.Type;

import dev.peergate.handler.IpcErrorType;
import dev.peergate.handler.IpcInterface;
import dev.peergate.handler.IpcMethod;
import org.jspecify.annotations.Nullable;
import org.springframework.aot.generate.GenerationContext;
import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.ReflectionHints;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.beans.factory.aot.BeanRegistrationCode;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Handlers are found and called reflectively, and their records bound by Jackson: for an application processed
 * ahead of time, every {@link IpcMethod} of an {@link IpcInterface} bean is registered for invocation, and its
 * parameter and return types and the parameters of its declared errors for binding — as Spring does for
 * {@code @MessageMapping} and {@code @HttpExchange} methods.
 */
class IpcInterfaceBeanRegistrationAotProcessor implements BeanRegistrationAotProcessor {

	@Override
	public @Nullable BeanRegistrationAotContribution processAheadOfTime(RegisteredBean registeredBean) {
		Class<?> type = registeredBean.getBeanClass();
		if (!AnnotatedElementUtils.hasAnnotation(type, IpcInterface.class)) {
			return null;
		}
		return new Contribution(type);
	}

	private record Contribution(Class<?> type) implements BeanRegistrationAotContribution {

		@Override
		public void applyTo(GenerationContext generationContext, BeanRegistrationCode beanRegistrationCode) {
			ReflectionHints reflection = generationContext.getRuntimeHints().reflection();
			BindingReflectionHintsRegistrar binding = new BindingReflectionHintsRegistrar();
			ReflectionUtils.doWithMethods(this.type, (method) -> {
				reflection.registerMethod(method, ExecutableMode.INVOKE);
				for (Type parameter : method.getGenericParameterTypes()) {
					binding.registerReflectionHints(reflection, parameter);
				}
				binding.registerReflectionHints(reflection, method.getGenericReturnType());
			}, (Method method) -> method.isAnnotationPresent(IpcMethod.class));
			for (IpcErrorType error : AnnotatedElementUtils.findMergedRepeatableAnnotations(this.type,
					IpcErrorType.class)) {
				binding.registerReflectionHints(reflection, error.parameters());
			}
		}

	}

}
