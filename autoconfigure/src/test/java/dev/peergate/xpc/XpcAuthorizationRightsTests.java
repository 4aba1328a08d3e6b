package dev.peergate.xpc;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.peergate.client.XpcAuthorization;
import dev.peergate.client.XpcClient;
import dev.peergate.core.CallVerdict;
import dev.peergate.core.Gate;
import dev.peergate.core.LogLimiter;
import dev.peergate.core.Outcome;
import dev.peergate.core.Reason;
import dev.peergate.core.TransportEvents;
import dev.peergate.handler.CallAuthorizer;
import dev.peergate.handler.CallObserver;
import dev.peergate.handler.Dispatcher;
import dev.peergate.handler.HandlerExecutor;
import dev.peergate.handler.HandlerLimits;
import dev.peergate.handler.IpcError;
import dev.peergate.handler.MethodRegistry;
import dev.peergate.handler.StandardErrors;
import dev.peergate.xpc.jna.AuthorizationServices.RightRule;
import dev.peergate.xpc.jna.AuthorizationServices;
import dev.peergate.xpc.jna.XpcClientConnection;
import dev.peergate.xpc.jna.XpcSimulator.SimPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A method of an XPC listener can require an Authorization Services right: the app sends the external form of its
 * authorization with each call ({@link XpcAuthorization}), the listener asks for the method's right through the
 * production bindings, against the simulator's rights database. A refused call gets PermissionDenied and the
 * connection serves the other methods; every decision is a call verdict with {@code authority=authorization-services};
 * no reference is left behind.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class XpcAuthorizationRightsTests {

	private static final AtomicInteger RIGHTS = new AtomicInteger();

	private static final XpcRequirement TEAM = XpcRequirement
		.codeSigning("anchor apple generic and certificate leaf[subject.OU] = \"ABCDE12345\"");

	private static final SimPeer ROOT = new SimPeer(0, 0, 1, "com.example.installer", "ABCDE12345",
			"1111222233334444555566667777888899990000", "ABCDE12345", "", false, true, 6);

	private static final String GUARDED = "com.example.helper.Echo";

	private final List<CallVerdict> calls = new CopyOnWriteArrayList<>();

	private XpcFixture fixture;

	private Dispatcher dispatcher;

	private AuthorizationServices services;

	private long authorizationsBefore;

	@BeforeEach
	void start() {
		this.fixture = new XpcFixture("15.0");
		this.services = AuthorizationServices.of(this.fixture.sim.nativeXpc());
		this.authorizationsBefore = this.fixture.sim.control().xpcsim_live_authorizations();
		this.fixture.sim.control().xpcsim_set_authentication_answer(1);
	}

	@AfterEach
	void stop() {
		this.fixture.listener.stop(Duration.ofSeconds(5));
		this.dispatcher.close();
		this.fixture.assertNoLeaks();
		this.fixture.close();
		assertThat(this.fixture.sim.control().xpcsim_live_authorizations()).as("live AuthorizationRefs")
			.isEqualTo(this.authorizationsBefore);
	}

	@Test
	void servesTheCallWhoseAuthorizationHoldsTheRight() {
		listen(define(RightRule.group("staff", false)));
		try (XpcAuthorization authorization = appAuthorization();
				XpcClient app = client(authorization, false)) {
			assertThat(app.call(GUARDED, Map.of("text", "yes"))).containsEntry("text", "yes");
		}
		assertThat(this.calls).singleElement().satisfies((verdict) -> {
			assertThat(verdict.outcome()).as(verdict.explanation()).isEqualTo(Outcome.ACCEPTED);
			assertThat(verdict.authority()).isEqualTo(AuthorizationRightsInterceptor.AUTHORITY);
			assertThat(verdict.method()).isEqualTo(GUARDED);
			assertThat(verdict.peer().uid()).isEqualTo(501);
		});
	}

	@Test
	void refusesACallWithoutAnAuthorizationAndServesTheOtherMethodsOnTheConnection() {
		String right = define(RightRule.named("allow"));
		listen(right);
		try (XpcClient app = this.fixture.client(SimPeer.teamCli())) {
			assertPermissionDenied(app);
			assertThat(app.call("com.example.helper.EchoInline", Map.of("text", "still"))).containsEntry("text", "still");
		}
		assertThat(this.calls).singleElement().satisfies((verdict) -> {
			assertThat(verdict.outcome()).isEqualTo(Outcome.REJECTED);
			assertThat(verdict.reason()).isEqualTo(Reason.REQUIREMENT_NOT_SATISFIED);
			assertThat(verdict.explanation()).isEqualTo("right " + right + " needs an authorization, and the call "
					+ "carries none (the external form of an AuthorizationRef under 'authorization')");
		});
	}

	@Test
	void asksTheUserOnlyWhenTheCallAllowsInteraction() {
		String right = define(RightRule.named("authenticate-admin"));
		listen(right);
		long asked = interactions();
		try (XpcAuthorization authorization = appAuthorization()) {
			try (XpcClient quiet = client(authorization, false)) {
				assertPermissionDenied(quiet);
			}
			assertThat(interactions()).isEqualTo(asked);
			try (XpcClient interactive = client(authorization, true)) {
				assertThat(interactive.call(GUARDED, Map.of("text", "asked"))).containsEntry("text", "asked");
			}
			assertThat(interactions()).isEqualTo(asked + 1);
		}
		assertThat(this.calls).extracting(CallVerdict::outcome).containsExactly(Outcome.REJECTED, Outcome.ACCEPTED);
		assertThat(this.calls.get(0).explanation()).isEqualTo(right + " needs the user to authenticate, and the call "
				+ "did not allow interaction (allowInteractiveAuthentication): errAuthorizationInteractionNotAllowed "
				+ "(-60007)");
	}

	@Test
	void refusesWhenTheUserCancelsTheDialog() {
		listen(define(RightRule.group("staff", true)));
		this.fixture.sim.control().xpcsim_set_authentication_answer(0);
		try (XpcAuthorization authorization = appAuthorization(); XpcClient app = client(authorization, true)) {
			assertPermissionDenied(app);
		}
		assertThat(this.calls).singleElement()
			.satisfies((verdict) -> assertThat(verdict.explanation()).startsWith("the user canceled the authentication"));
	}

	@Test
	void refusesAForgedAuthorizationAndOneItsAppHasEnded() throws Exception {
		listen(define(RightRule.named("allow")));
		assertThat(rawCall(Map.of("method", GUARDED, "parameters", Map.of("text", "x"), "authorization", new byte[32])))
			.containsEntry("error", StandardErrors.PERMISSION_DENIED);
		this.fixture.sim.nextPeer(SimPeer.teamCli());
		AuthorizationServices.ClientAuthorization app = this.services.create();
		byte[] form = app.externalForm();
		Map<String, Object> call = Map.of("method", GUARDED, "parameters", Map.of("text", "x"), "authorization", form);
		assertThat(rawCall(call)).doesNotContainKey("error");
		app.close(); // the app ends its authorization: the helper's copy names nothing any more
		assertThat(rawCall(call)).containsEntry("error", StandardErrors.PERMISSION_DENIED);
		assertThat(this.calls).extracting(CallVerdict::outcome)
			.containsExactly(Outcome.REJECTED, Outcome.ACCEPTED, Outcome.REJECTED);
		assertThat(List.of(this.calls.get(0), this.calls.get(2))).allSatisfy((verdict) -> {
			assertThat(verdict.reason()).isEqualTo(Reason.VERIFICATION_FAILED);
			assertThat(verdict.explanation()).contains("names no authorization of this host")
				.endsWith("errAuthorizationInvalidRef (-60002)");
		});
	}

	@Test
	void aMalformedAuthorizationIsAProtocolErrorNotACall() throws Exception {
		listen(define(RightRule.named("allow")));
		assertThat(rawCall(Map.of("method", GUARDED, "parameters", Map.of("text", "x"), "authorization", new byte[5])))
			.containsEntry("error", StandardErrors.PROTOCOL_ERROR);
		assertThat(rawCall(Map.of("method", GUARDED, "parameters", Map.of("text", "x"),
				"allowInteractiveAuthentication", "yes")))
			.containsEntry("error", StandardErrors.PROTOCOL_ERROR);
		assertThat(this.calls).isEmpty();
	}

	private void assertPermissionDenied(XpcClient client) {
		assertThatExceptionOfType(IpcError.class).isThrownBy(() -> client.call(GUARDED, Map.of("text", "no")))
			.satisfies((error) -> assertThat(error.name()).isEqualTo(StandardErrors.PERMISSION_DENIED));
	}

	private Map<String, Object> rawCall(Map<String, ?> body) throws Exception {
		this.fixture.sim.nextPeer(SimPeer.teamCli());
		XpcClientConnection connection = XpcClientConnection.connect(this.fixture.sim.nativeXpc(),
				this.fixture.service, false, null, (message) -> {
				}, (event) -> {
				});
		try {
			return connection.request(body).get(20, TimeUnit.SECONDS);
		}
		finally {
			connection.close(Duration.ofSeconds(5));
		}
	}

	private String define(RightRule rule) {
		String right = "com.example.helper.xpc-right" + RIGHTS.incrementAndGet();
		this.fixture.sim.nextPeer(ROOT);
		assertThat(this.services.defineRight(right, rule)).isEqualTo(AuthorizationServices.SUCCESS);
		return right;
	}

	private XpcAuthorization appAuthorization() {
		this.fixture.sim.nextPeer(SimPeer.teamCli());
		return XpcAuthorization.create(this.fixture.sim.libraries());
	}

	private XpcClient client(XpcAuthorization authorization, boolean interactive) {
		this.fixture.sim.nextPeer(SimPeer.teamCli());
		return XpcClient.connect(XpcClient.Options.of(this.fixture.service)
			.withLibraries(this.fixture.sim.libraries())
			.withTimeout(Duration.ofSeconds(20))
			.withAuthorization(authorization, interactive));
	}

	private long interactions() {
		return this.fixture.sim.control().xpcsim_authorization_interactions();
	}

	private void listen(String right) {
		AuthorizationRightsInterceptor rights = new AuthorizationRightsInterceptor(Map.of("helper", Map.of(GUARDED, right)),
				this.services, () -> this.calls::add);
		this.dispatcher = new Dispatcher(MethodRegistry.of(List.of(this.fixture.helper)), HandlerExecutor.platform(4, 16),
				HandlerLimits.timeoutOnly(Duration.ofSeconds(20)), CallObserver.none(), new LogLimiter(Duration.ofMinutes(1)),
				TransportEvents.none(), CallAuthorizer.allowAll(), List.of(rights));
		XpcListenerSetup setup = XpcListenerSetup.prepare(
				XpcListenerOptions.of("helper", this.fixture.service, TEAM).withLibraries(this.fixture.sim.libraries()));
		this.fixture.listener = new XpcListener(setup,
				new Gate("helper", setup.mechanism(), setup.gateRequirement(), this.fixture.verdicts::add), this.dispatcher,
				this.fixture.transportEvents, this.calls::add);
		this.fixture.listener.start();
	}

}
