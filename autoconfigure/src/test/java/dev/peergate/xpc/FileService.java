package dev.peergate.xpc;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.peergate.handler.IpcFileDescriptor;
import dev.peergate.handler.IpcInterface;
import dev.peergate.handler.IpcMethod;
import dev.peergate.xpc.jna.Pipes;
import org.jspecify.annotations.Nullable;

/** A helper that hands out and takes file descriptors, for the XPC descriptor tests. */
@IpcInterface("com.example.files")
public class FileService {

	/** A file only this helper holds (opened, then unlinked by the test): no caller can open it by a name. */
	volatile @Nullable IpcFileDescriptor secret;

	/** The descriptor the last call received, to see whether Peergate closed it. */
	volatile @Nullable IpcFileDescriptor lastReceived;

	/** Handler invocations. */
	final AtomicInteger calls = new AtomicInteger();

	/** Counts down when {@link #slow} has its descriptor. */
	final CountDownLatch slowStarted = new CountDownLatch(1);

	/** Released by the test to let {@link #slow} return. */
	final CountDownLatch release = new CountDownLatch(1);

	/** Which secret to open. */
	public record SecretName(String name) {
	}

	/** A descriptor handed to the caller. */
	public record Opened(IpcFileDescriptor file) {
	}

	/** A descriptor to write the text into. */
	public record WriteTo(IpcFileDescriptor out, String text) {
	}

	/** How much was written. */
	public record Written(int bytes) {
	}

	/** The number of a descriptor the handler took over. */
	public record Kept(int number) {
	}

	/** Hands the caller a descriptor of the secret file; Peergate sends and closes the duplicate. */
	@IpcMethod
	public Opened openSecret(SecretName name) throws java.io.IOException {
		this.calls.incrementAndGet();
		IpcFileDescriptor held = this.secret;
		if (held == null) {
			throw new IllegalStateException("no secret " + name.name());
		}
		return new Opened(held.duplicate());
	}

	/** Writes into the caller's descriptor (a pipe's write end). */
	@IpcMethod
	public Written writeTo(WriteTo call) {
		this.calls.incrementAndGet();
		Pipes.write(call.out(), call.text());
		return new Written(call.text().length());
	}

	/** Fails after receiving a descriptor. */
	@IpcMethod
	public Written failAfterReceiving(WriteTo call) {
		this.calls.incrementAndGet();
		this.lastReceived = call.out();
		throw new IllegalStateException("refusing to write " + call.text());
	}

	/** Takes the descriptor over: Peergate must leave it open. */
	@IpcMethod
	public Kept keep(WriteTo call) {
		this.calls.incrementAndGet();
		return new Kept(call.out().release());
	}

	/** Behind a method requirement the test's client does not satisfy. */
	@IpcMethod
	public Written guarded(WriteTo call) {
		this.calls.incrementAndGet();
		return new Written(0);
	}

	/** Holds the descriptor until the test releases it. */
	@IpcMethod
	public Written slow(WriteTo call) throws InterruptedException {
		this.calls.incrementAndGet();
		this.lastReceived = call.out();
		this.slowStarted.countDown();
		this.release.await(20, TimeUnit.SECONDS);
		return new Written(0);
	}

}
