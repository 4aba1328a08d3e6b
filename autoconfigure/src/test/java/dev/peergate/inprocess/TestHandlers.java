package dev.peergate.inprocess;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.peergate.core.Peer;
import dev.peergate.handler.IpcError;
import dev.peergate.handler.IpcErrorType;
import dev.peergate.handler.IpcInterface;
import dev.peergate.handler.IpcMethod;
import dev.peergate.handler.IpcStream;
import org.jspecify.annotations.Nullable;

/** A handler bean exercising every shape the handler model supports. */
@IpcInterface(value = "com.example.test", description = "Test interface")
@IpcErrorType(name = "NotFound", parameters = TestHandlers.NotFound.class)
public class TestHandlers {

	/** Released by tests to let {@code Slow} calls finish. */
	public final CountDownLatch release = new CountDownLatch(1);

	/** Counts oneway notifications. */
	public final CountDownLatch notified = new CountDownLatch(1);

	public record Greeting(String name, int times, @Nullable String punctuation) {
	}

	public record Reply(String text) {
	}

	public record Identity(long uid, String listener, String transport) {
	}

	public record Count(int from) {
	}

	public record Tick(int value) {
	}

	public record NotFound(String path) {
	}

	public record Lookup(String path) {
	}

	@IpcMethod(description = "Repeats a greeting")
	public Reply greet(Greeting greeting) {
		String punctuation = (greeting.punctuation() != null) ? greeting.punctuation() : "!";
		return new Reply(("Hello " + greeting.name() + punctuation).repeat(greeting.times()));
	}

	@IpcMethod
	public Identity whoAmI(Peer peer) {
		return new Identity(peer.uid(), peer.listener(), peer.transport());
	}

	@IpcMethod
	public Map<String, Object> lookup(Lookup lookup) {
		if (!lookup.path().startsWith("/")) {
			throw IpcError.of("com.example.test.NotFound", new NotFound(lookup.path()));
		}
		return Map.of("path", lookup.path(), "segments", List.of(lookup.path().split("/")).size());
	}

	@IpcMethod
	public Reply crash() {
		throw new IllegalStateException("handler bug");
	}

	@IpcMethod
	public Tick countdown(Count count, IpcStream<Tick> ticks) {
		for (int i = count.from(); i > 0; i--) {
			ticks.send(new Tick(i));
		}
		return new Tick(0);
	}

	@IpcMethod
	public Reply slow() throws InterruptedException {
		this.release.await(30, TimeUnit.SECONDS);
		return new Reply("finally");
	}

	@IpcMethod
	public void notifyMe() {
		this.notified.countDown();
	}

	/** Ticks of {@link #ticker} that ended by an interrupt (a timeout), not by running out. */
	public final java.util.concurrent.atomic.AtomicInteger tickersInterrupted = new java.util.concurrent.atomic.AtomicInteger();

	/** Streams a tick every 20 ms, {@code from} of them. */
	@IpcMethod
	public Tick ticker(Count count, IpcStream<Tick> ticks) {
		try {
			for (int i = count.from(); i > 0 && ticks.isOpen(); i--) {
				ticks.send(new Tick(i));
				Thread.sleep(20);
			}
		}
		catch (InterruptedException ex) {
			this.tickersInterrupted.incrementAndGet();
		}
		return new Tick(0);
	}

}
