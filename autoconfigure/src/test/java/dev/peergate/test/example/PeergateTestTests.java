package dev.peergate.test.example;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.peergate.autoconfigure.PeergateListeners;
import dev.peergate.event.CallDeniedEvent;
import dev.peergate.event.PeerRejectedEvent;
import dev.peergate.handler.IpcError;
import dev.peergate.handler.StandardErrors;
import dev.peergate.inprocess.InProcessConnection;
import dev.peergate.inprocess.InProcessListener;
import dev.peergate.observation.MeterCallVerdictSink;
import dev.peergate.test.PeergateTest;
import dev.peergate.test.PeergateTester;
import dev.peergate.test.TestPeer;
import dev.peergate.test.WithPeer;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code @PeergateTest} and {@code @WithPeer} from a real Spring context: the application's handler on an
 * in-process listener (though its configuration names a socket), called as the stated peer, and decided about by
 * the configured requirements with the verdicts, events and metrics of production.
 */
@PeergateTest(properties = { "peergate.listeners.greeter.unix.path=/nonexistent/directory/greeter.sock",
		"peergate.listeners.greeter.requirement.linux.uid=4242",
		"peergate.listeners.greeter.methods[com.example.greeter.Greet].requirement.linux.executable-path=/usr/bin/example-cli",
		"peergate.listeners.greeter.methods[com.example.greeter.Count].requirement.linux={\"groups\":4343,\"systemd-unit\":\"example-cli.service\"}" })
@WithPeer(uid = 4242)
@RecordApplicationEvents
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PeergateTestTests {

	@Autowired
	private PeergateTester peergate;

	@Autowired
	private ApplicationContext context;

	@Autowired
	private ApplicationEvents events;

	@Autowired
	private MeterRegistry meters;

	@Test
	void startsTheHandlersAndPeergateOnAnInProcessListenerAndNothingElse() {
		assertThat(this.context.getBeansOfType(GreeterService.class)).hasSize(1);
		assertThat(this.context.getBeansOfType(UnrelatedService.class)).isEmpty();
		assertThat(this.context.getBean(PeergateListeners.class).listener("greeter")).get()
			.isInstanceOf(InProcessListener.class);
	}

	@Test
	void callsAsThePeerTheClassStates() {
		GreeterService.Caller caller = this.peergate.client(Greeter.class).whoAmI();
		assertThat(caller.uid()).isEqualTo(4242);
		assertThat(caller.gid()).isEqualTo(-1);
		assertThat(caller.executable()).isNull();
	}

	@Test
	@WithPeer(uid = 4343)
	void refusesThePeerAMethodStatesWhenTheRequirementRefusesItsUid() {
		assertThatExceptionOfType(IpcError.class).isThrownBy(() -> this.peergate.client(Greeter.class).whoAmI())
			.satisfies((error) -> assertThat(error.name()).isEqualTo(StandardErrors.PERMISSION_DENIED));
		assertThat(this.events.stream(PeerRejectedEvent.class)).singleElement().satisfies((event) -> {
			assertThat(event.peer().uid()).isEqualTo(4343);
			assertThat(event.explanation()).contains("uid: expected 4242, peer has 4343");
		});
	}

	@Test
	@WithPeer(uid = 4242, gid = 100, executable = "/usr/bin/example-cli")
	void aMethodRequirementReadsTheStatedExecutable() {
		Greeter greeter = this.peergate.client(Greeter.class);
		assertThat(greeter.greet(new GreeterService.Name("Ada")).text()).isEqualTo("Hello, Ada");
		assertThat(greeter.whoAmI()).satisfies((caller) -> {
			assertThat(caller.gid()).isEqualTo(100);
			assertThat(caller.executable()).isEqualTo("/usr/bin/example-cli");
		});
	}

	@Test
	void refusesAMethodToAPeerWithoutTheExecutableItRequiresAndCountsTheRefusal() {
		Greeter greeter = this.peergate.client(Greeter.class);
		assertThatExceptionOfType(IpcError.class).isThrownBy(() -> greeter.greet(new GreeterService.Name("Ada")))
			.satisfies((error) -> assertThat(error.name()).isEqualTo(StandardErrors.PERMISSION_DENIED));
		assertThat(greeter.whoAmI().uid()).isEqualTo(4242); // the connection stays open for other methods
		assertThat(this.events.stream(CallDeniedEvent.class)).singleElement()
			.satisfies((event) -> assertThat(event.explanation()).contains("executable-path"));
		assertThat(this.meters.get(MeterCallVerdictSink.CALL_AUTHORIZATION)
			.tags("listener", "greeter", "method", "com.example.greeter.Greet", "outcome", "rejected")
			.counter()
			.count()).isPositive();
	}

	@Test
	@WithPeer(uid = 4242, groups = "4343", facts = "systemd-unit=example-cli.service")
	void aMethodRequirementReadsTheStatedGroupsAndFacts() {
		List<GreeterService.Number> numbers = new ArrayList<>();
		GreeterService.Number last = this.peergate.client(Greeter.class)
			.count(new GreeterService.Count(3), numbers::add);
		assertThat(numbers).extracting(GreeterService.Number::value).containsExactly(1, 2);
		assertThat(last.value()).isEqualTo(3);
	}

	@Test
	@WithPeer(uid = 4242, groups = "4343")
	void refusesAMethodWhoseRequirementReadsAFactTheTestDidNotState() {
		assertThatExceptionOfType(IpcError.class)
			.isThrownBy(() -> this.peergate.client(Greeter.class).count(new GreeterService.Count(3), (number) -> {
			}))
			.satisfies((error) -> assertThat(error.name()).isEqualTo(StandardErrors.PERMISSION_DENIED));
	}

	@Test
	void callsAsAPeerGivenInTheTestWhateverTheAnnotationStates() {
		assertThat(this.peergate.as(TestPeer.uid(4343)).verdict().accepted()).isFalse();
		assertThat(this.peergate.as(TestPeer.uid(4242).withExecutable("/usr/bin/example-cli"))
			.client(Greeter.class)
			.greet(new GreeterService.Name("Bob"))
			.text()).isEqualTo("Hello, Bob");
	}

	@Test
	@Order(1)
	void closesTheConnectionsOfATestAfterIt() {
		InProcessConnection connection = this.peergate.connect();
		assertThat(connection.verdict().accepted()).isTrue();
		assertThat(connection.peer().uid()).isEqualTo(4242); // left open: the next test finds it closed
	}

	@Test
	@Order(2)
	void theListenerHasNoConnectionLeftFromEarlierTests() {
		InProcessListener listener = (InProcessListener) this.context.getBean(PeergateListeners.class)
			.listener("greeter")
			.orElseThrow();
		assertThat(listener.activeConnections()).isZero();
	}

}
