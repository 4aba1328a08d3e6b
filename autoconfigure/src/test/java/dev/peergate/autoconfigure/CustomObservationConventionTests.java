package dev.peergate.autoconfigure;

import java.util.Map;

import com.sun.security.auth.module.UnixSystem;
import dev.peergate.autoconfigure.observation.PeergateObservationAutoConfiguration;
import dev.peergate.core.PeerCredentials;
import dev.peergate.inprocess.InProcessConnection;
import dev.peergate.inprocess.InProcessListener;
import dev.peergate.inprocess.TestHandlers;
import dev.peergate.observation.DefaultPeerVerificationObservationConvention;
import dev.peergate.observation.DefaultRequestObservationConvention;
import dev.peergate.observation.PeerVerificationContext;
import dev.peergate.observation.PeerVerificationObservationConvention;
import dev.peergate.observation.RequestObservationContext;
import dev.peergate.observation.RequestObservationConvention;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;

/** An application replaces the observation conventions by declaring them as beans. */
class CustomObservationConventionTests {

	private final long ownUid = new UnixSystem().getUid();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PeergateAutoConfiguration.class,
				PeergateObservationAutoConfiguration.class))
		.withBean(TestHandlers.class)
		.withBean(ObservationRegistry.class, TestObservationRegistry::create)
		.withPropertyValues("peergate.listeners.helper.transport=in-process",
				"peergate.listeners.helper.requirement.same-user=true");

	@Test
	void usesARequestConventionDeclaredAsABean() {
		this.runner.withBean(RequestObservationConvention.class, TenantRequestConvention::new).run(context -> {
			call(context.getBean(PeergateListeners.class));
			TestObservationRegistry observations = (TestObservationRegistry) context.getBean(ObservationRegistry.class);
			assertThat(observations).hasAnObservation(observation -> observation.hasNameEqualTo("peergate.request")
				.hasLowCardinalityKeyValue("tenant", "acme")
				.hasLowCardinalityKeyValue("method", "com.example.test.WhoAmI"));
		});
	}

	@Test
	void usesAVerificationConventionDeclaredAsABean() {
		this.runner.withBean(PeerVerificationObservationConvention.class, TenantVerificationConvention::new)
			.run(context -> {
				call(context.getBean(PeergateListeners.class));
				TestObservationRegistry observations = (TestObservationRegistry) context
					.getBean(ObservationRegistry.class);
				assertThat(observations).hasAnObservation(observation -> observation
					.hasNameEqualTo("peergate.peer.verification")
					.hasLowCardinalityKeyValue("tenant", "acme")
					.hasLowCardinalityKeyValue("outcome", "accepted"));
			});
	}

	private void call(PeergateListeners listeners) {
		InProcessListener listener = (InProcessListener) listeners.listener("helper").orElseThrow();
		try (InProcessConnection connection = listener
			.connect(PeerCredentials.builder("in-process").uid(this.ownUid).gid(this.ownUid).build())) {
			connection.call("com.example.test.WhoAmI", Map.of());
		}
	}

	static final class TenantRequestConvention extends DefaultRequestObservationConvention {

		@Override
		public KeyValues getLowCardinalityKeyValues(RequestObservationContext context) {
			return super.getLowCardinalityKeyValues(context).and("tenant", "acme");
		}

	}

	static final class TenantVerificationConvention extends DefaultPeerVerificationObservationConvention {

		@Override
		public KeyValues getLowCardinalityKeyValues(PeerVerificationContext context) {
			return super.getLowCardinalityKeyValues(context).and("tenant", "acme");
		}

	}

}
