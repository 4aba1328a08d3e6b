package dev.peergate.test.example;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.peergate.core.Peer;
import dev.peergate.handler.IpcInterface;
import dev.peergate.handler.IpcMethod;
import dev.peergate.handler.IpcStream;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** A handler: who calls, a greeting, and a streamed count; it counts the calls that reach it. */
@Component
@IpcInterface("com.example.greeter")
public class GreeterService {

	/** Calls that reached the handler. */
	public final AtomicInteger calls = new AtomicInteger();

	/** What the handler sees of its caller. */
	public record Caller(long uid, long gid, List<Long> groups, @Nullable String executable, @Nullable String unit) {
	}

	/** Whom to greet. */
	public record Name(String name) {
	}

	/** A greeting. */
	public record Greeting(String text) {
	}

	/** How far to count. */
	public record Count(int to) {
	}

	/** One number of a count. */
	public record Number(int value) {
	}

	@IpcMethod
	public Caller whoAmI(Peer peer) {
		this.calls.incrementAndGet();
		return new Caller(peer.uid(), peer.gid(), peer.groups(), peer.fact("executable-path"),
				peer.fact("systemd-unit"));
	}

	@IpcMethod
	public Greeting greet(Name name) {
		this.calls.incrementAndGet();
		return new Greeting("Hello, " + name.name());
	}

	@IpcMethod
	public Number count(Count count, IpcStream<Number> numbers) {
		this.calls.incrementAndGet();
		for (int i = 1; i < count.to(); i++) {
			numbers.send(new Number(i));
		}
		return new Number(count.to());
	}

}
