package dev.peergate.autoconfigure.security;

import dev.peergate.autoconfigure.PeergateAutoConfiguration;
import dev.peergate.core.CallVerdictSink;
import dev.peergate.security.PeerAuthoritiesMapper;
import dev.peergate.security.SecurityContextCallInterceptor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.util.function.SingletonSupplier;

/**
 * Spring Security for IPC handlers: with Spring Security on the classpath, every handler runs with a
 * {@code PeerAuthentication} of its caller in the {@code SecurityContext}, so that method security
 * ({@code @EnableMethodSecurity} and {@code @PreAuthorize} on {@code @IpcMethod} methods) decides per call.
 *
 * <pre>{@code
 * @Configuration
 * @EnableMethodSecurity
 * class Security {
 * }
 * }</pre>
 */
@AutoConfiguration(before = PeergateAutoConfiguration.class)
@ConditionalOnClass(SecurityContextHolder.class)
@ConditionalOnBooleanProperty(name = "peergate.enabled", matchIfMissing = true)
public final class PeergateSecurityAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	PeerAuthoritiesMapper peergatePeerAuthoritiesMapper() {
		return PeerAuthoritiesMapper.fromVerifiedFacts();
	}

	@Bean
	@ConditionalOnMissingBean
	SecurityContextCallInterceptor peergateSecurityContextCallInterceptor(PeerAuthoritiesMapper authorities,
			ObjectProvider<CallVerdictSink> sinks) {
		// looked up at the first denial: the sinks include beans created after this one
		return new SecurityContextCallInterceptor(authorities,
				SingletonSupplier.of(() -> CallVerdictSink.fanOut(sinks.orderedStream().toList())));
	}

}
