package dev.peergate.test;

import java.util.Set;

import dev.peergate.autoconfigure.PeerListenerFactory;
import dev.peergate.autoconfigure.UnixListenerCustomizer;
import dev.peergate.autoconfigure.XpcListenerCustomizer;
import dev.peergate.core.CallVerdictSink;
import dev.peergate.core.TransportEvents;
import dev.peergate.core.VerdictSink;
import dev.peergate.handler.CallAuthorizer;
import dev.peergate.handler.CallInterceptor;
import dev.peergate.handler.CallObserver;
import dev.peergate.handler.IpcInterface;
import org.springframework.boot.test.context.filter.annotation.StandardAnnotationCustomizableTypeExcludeFilter;

/**
 * What {@link PeergateTest} finds by component scanning: the handlers ({@link IpcInterface} beans) and the beans
 * Peergate calls (interceptors, authorizers, observers, verdict sinks, listener factories and customizers).
 */
final class PeergateTypeExcludeFilter extends StandardAnnotationCustomizableTypeExcludeFilter<PeergateTest> {

	private static final Set<Class<?>> KNOWN_INCLUDES = Set.of(IpcInterface.class, CallInterceptor.class,
			CallAuthorizer.class, CallObserver.class, VerdictSink.class, CallVerdictSink.class, TransportEvents.class,
			PeerListenerFactory.class, UnixListenerCustomizer.class, XpcListenerCustomizer.class);

	PeergateTypeExcludeFilter(Class<?> testClass) {
		super(testClass);
	}

	@Override
	protected Set<Class<?>> getKnownIncludes() {
		return KNOWN_INCLUDES;
	}

}
