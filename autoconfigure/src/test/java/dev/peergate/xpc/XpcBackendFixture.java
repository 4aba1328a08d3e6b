package dev.peergate.xpc;

import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

import dev.peergate.client.XpcClient;
import dev.peergate.core.Verdict;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * An anonymous {@link XpcListener} serving {@link HelperService} on the current {@link XpcBackend}, a recording
 * verdict sink and limit counter, and clients connected through the listener's endpoint. Given to the test methods
 * of an {@link XpcSpecification} and closed after each.
 */
final class XpcBackendFixture implements AutoCloseable {

	final XpcBackend backend;

	private final XpcServingRecorder serving = new XpcServingRecorder(Duration.ofSeconds(20));

	final HelperService helper = this.serving.helper;

	final List<Verdict> verdicts = this.serving.verdicts;

	/** Limits the listener reported ({@code listener/limit}). */
	final List<String> limits = this.serving.limits;

	private @Nullable XpcListener listener;

	XpcBackendFixture(XpcBackend backend) {
		this.backend = backend;
	}

	/** An anonymous listener requiring what the clients satisfy, with {@code configure} applied, started. */
	XpcListener listen(UnaryOperator<XpcListenerOptions> configure) {
		return listen(this.backend.acceptedRequirement(), Enforcement.OBSERVED, configure);
	}

	/** An anonymous listener with this requirement and enforcement, started. */
	XpcListener listen(XpcRequirement requirement, Enforcement enforcement) {
		return listen(requirement, enforcement, UnaryOperator.identity());
	}

	private XpcListener listen(XpcRequirement requirement, Enforcement enforcement,
			UnaryOperator<XpcListenerOptions> configure) {
		XpcListenerOptions options = XpcListenerOptions.anonymous("helper", requirement)
			.withEnforcement(enforcement)
			.withLibraries(this.backend.libraries());
		XpcListener created = this.serving.listener(configure.apply(options));
		this.listener = created;
		created.start();
		return created;
	}

	/** A new client of the listener, connected through its endpoint. */
	XpcClient client() {
		this.backend.nextClient();
		return XpcClient.connect(XpcClient.Options.of(listener().endpoint()).withTimeout(Duration.ofSeconds(20)));
	}

	XpcListener listener() {
		if (this.listener == null) {
			throw new IllegalStateException("no listener yet: call listen first");
		}
		return this.listener;
	}

	/** Stops the listener and waits until nothing the test created natively is alive. */
	void stopWithoutLeaks() {
		listener().stop(Duration.ofSeconds(5));
		this.backend.assertNoLeaks();
	}

	@Override
	public void close() {
		this.serving.close(this.listener);
		this.backend.close();
	}

	/** Resolves the fixture parameter on the current backend and closes it after the test. */
	static final class Resolver implements ParameterResolver {

		@Override
		public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
			return parameter.getParameter().getType() == XpcBackendFixture.class;
		}

		@Override
		public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
			XpcBackendFixture fixture = new XpcBackendFixture(XpcBackend.current());
			extension.getStore(ExtensionContext.Namespace.create(Resolver.class))
				.put(fixture, (ExtensionContext.Store.CloseableResource) fixture::close);
			return fixture;
		}

	}

}
