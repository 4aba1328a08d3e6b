package dev.peergate.security;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.peergate.autoconfigure.PeergateAutoConfiguration;
import dev.peergate.autoconfigure.PeergateListeners;
import dev.peergate.autoconfigure.observation.PeergateMetricsAutoConfiguration;
import dev.peergate.autoconfigure.security.PeergateSecurityAutoConfiguration;
import dev.peergate.core.PeerCredentials;
import dev.peergate.core.PeerFacts;
import dev.peergate.event.CallDeniedEvent;
import dev.peergate.handler.IpcError;
import dev.peergate.handler.StandardErrors;
import dev.peergate.inprocess.InProcessConnection;
import dev.peergate.inprocess.InProcessListener;
import dev.peergate.observation.MeterCallVerdictSink;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.core.context.SecurityContextHolder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code @PreAuthorize}, {@code @PostAuthorize} and {@code @Secured} on {@code @IpcMethod} methods decide per call
 * with the calling peer's authorities, on blocking and non-blocking handlers; a denial is PermissionDenied on the
 * wire and a call verdict with authority spring-security, and the connection stays open.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SpringSecurityTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PeergateSecurityAutoConfiguration.class,
				PeergateAutoConfiguration.class, PeergateMetricsAutoConfiguration.class))
		.withUserConfiguration(MethodSecurity.class)
		.withBean(SecuredHandlers.class)
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
		.withBean(Denials.class)
		.withPropertyValues("peergate.listeners.helper.transport=in-process",
				"peergate.listeners.helper.requirement.linux={\"uid\":{\"$in\":[1000,1001]}}");

	@Test
	void preAuthorizeAllowsThePeerWithTheAuthorityAndDeniesTheOtherOnTheSameOpenConnection() {
		this.runner.run((context) -> {
			try (InProcessConnection alice = connect(context, 1000); InProcessConnection bob = connect(context, 1001)) {
				assertThat(alice.call("com.example.secured.ClearCache", Map.of())).containsEntry("what", "cleared");
				assertThatExceptionOfType(IpcError.class)
					.isThrownBy(() -> bob.call("com.example.secured.ClearCache", Map.of()))
					.satisfies((error) -> assertThat(error.name()).isEqualTo(StandardErrors.PERMISSION_DENIED));
				assertThat(bob.call("com.example.secured.WhoAmI", Map.of())).containsEntry("uid", 1001L);
			}
			assertThat(context.getBean(Denials.class).events).singleElement().satisfies((event) -> {
				assertThat(event.verdict().authority()).isEqualTo("spring-security");
				assertThat(event.method()).isEqualTo("com.example.secured.ClearCache");
				assertThat(event.peer().uid()).isEqualTo(1001);
			});
			assertThat(context.getBean(MeterRegistry.class)
				.get(MeterCallVerdictSink.CALL_AUTHORIZATION)
				.tags("authority", "spring-security", "method", "com.example.secured.ClearCache", "outcome", "rejected")
				.counter()
				.count()).isEqualTo(1);
		});
	}

	@Test
	void securesNonBlockingHandlersToo() {
		this.runner.run((context) -> {
			try (InProcessConnection alice = connect(context, 1000); InProcessConnection bob = connect(context, 1001)) {
				assertThat(alice.call("com.example.secured.ClearCacheWithoutBlocking", Map.of())).containsKey("what");
				assertThatExceptionOfType(IpcError.class)
					.isThrownBy(() -> bob.call("com.example.secured.ClearCacheWithoutBlocking", Map.of()))
					.satisfies((error) -> assertThat(error.name()).isEqualTo(StandardErrors.PERMISSION_DENIED));
			}
		});
	}

	@Test
	void securedAndPostAuthorizeUseTheSameAuthorities() {
		this.runner.run((context) -> {
			try (InProcessConnection inGroup = connect(context, 1001, 27L);
					InProcessConnection outside = connect(context, 1000, 1000L)) {
				assertThat(inGroup.call("com.example.secured.Restart", Map.of())).containsEntry("what", "restarted");
				assertThatExceptionOfType(IpcError.class)
					.isThrownBy(() -> outside.call("com.example.secured.Restart", Map.of()));
				assertThat(outside.call("com.example.secured.Secret", Map.of())).containsEntry("uid", 1000L);
				assertThatExceptionOfType(IpcError.class)
					.isThrownBy(() -> inGroup.call("com.example.secured.Secret", Map.of()))
					.satisfies((error) -> assertThat(error.name()).isEqualTo(StandardErrors.PERMISSION_DENIED));
			}
		});
	}

	@Test
	void twoPeersCallingAtOnceEachSeeTheirOwnAuthentication() {
		this.runner.run((context) -> {
			try (InProcessConnection alice = connect(context, 1000); InProcessConnection bob = connect(context, 1001)) {
				CompletableFuture<Map<String, Object>> first = CompletableFuture
					.supplyAsync(() -> alice.call("com.example.secured.WhoAmIAfterAWhile", Map.of()));
				CompletableFuture<Map<String, Object>> second = CompletableFuture
					.supplyAsync(() -> bob.call("com.example.secured.WhoAmIAfterAWhile", Map.of()));
				assertThat(first.get(20, TimeUnit.SECONDS)).containsEntry("uid", 1000L)
					.hasEntrySatisfying("name", (name) -> assertThat(name.toString()).startsWith("uid:1000@helper")
						.contains("uid:1000")
						.doesNotContain("uid:1001"));
				assertThat(second.get(20, TimeUnit.SECONDS)).containsEntry("uid", 1001L)
					.hasEntrySatisfying("name", (name) -> assertThat(name.toString()).doesNotContain("uid:1000"));
			}
		});
	}

	@Test
	void leavesNoAuthenticationBehindOnTheThreadThatRanTheHandler() throws Exception {
		SecurityContextCallInterceptor interceptor = new SecurityContextCallInterceptor(
				PeerAuthoritiesMapper.fromVerifiedFacts(), () -> (verdict) -> {
				});
		dev.peergate.core.Peer peer = dev.peergate.core.Peer.of("helper",
				PeerCredentials.builder("in-process").uid(1000).gid(1000).build());
		dev.peergate.handler.CallContext call = new dev.peergate.handler.CallContext("helper", "in-process", peer);
		List<Object> seen = new CopyOnWriteArrayList<>();
		interceptor.intercept(call, null, () -> {
			seen.add(SecurityContextHolder.getContext().getAuthentication().getPrincipal());
			return null;
		});
		assertThat(seen).containsExactly(peer);
		assertThat(SecurityContextHolder.getContext().getAuthentication()).isNull();
	}

	@Test
	void theStarterWorksWithoutSpringSecurity() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(PeergateSecurityAutoConfiguration.class,
					PeergateAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader("org.springframework.security"))
			.withBean(dev.peergate.inprocess.TestHandlers.class)
			.withPropertyValues("peergate.listeners.helper.transport=in-process",
					"peergate.listeners.helper.requirement.same-user=true")
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(SecurityContextCallInterceptor.class);
				assertThat(context).hasSingleBean(PeergateListeners.class);
			});
	}

	@Test
	void mapsVerifiedFactsToAuthorities() {
		PeerFacts facts = PeerFacts.builder()
			.verified("user", "alice")
			.verified("group", "wheel")
			.verified("systemd-unit", "example.service")
			.build();
		dev.peergate.core.Peer peer = dev.peergate.core.Peer.of("helper", PeerCredentials.builder("unix")
			.uid(1000)
			.gid(10)
			.groups(List.of(10L, 27L))
			.facts(facts)
			.build());
		assertThat(PeerAuthoritiesMapper.fromVerifiedFacts().authorities(peer)).extracting(Object::toString)
			.containsExactly("uid:1000", "gid:10", "gid:27", "user:alice", "group:wheel", "unit:example.service",
					"listener:helper");
	}

	private static InProcessConnection connect(ApplicationContext context, long uid, Long... groups) {
		InProcessListener listener = (InProcessListener) context.getBean(PeergateListeners.class)
			.listener("helper")
			.orElseThrow();
		return listener.connect(PeerCredentials.builder(InProcessListener.TRANSPORT)
			.uid(uid)
			.gid((groups.length > 0) ? groups[0] : uid)
			.groups(List.of(groups))
			.build());
	}

	@Configuration(proxyBeanMethods = false)
	@EnableMethodSecurity(securedEnabled = true)
	static class MethodSecurity {

	}

	static class Denials implements ApplicationListener<CallDeniedEvent> {

		final List<CallDeniedEvent> events = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(CallDeniedEvent event) {
			this.events.add(event);
		}

	}

}
