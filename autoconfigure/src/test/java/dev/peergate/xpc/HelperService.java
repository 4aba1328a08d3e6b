package dev.peergate.xpc;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.peergate.core.Peer;
import dev.peergate.handler.IpcInterface;
import dev.peergate.handler.IpcMethod;
import dev.peergate.handler.IpcStream;

/** The handler the XPC listener tests call. */
@IpcInterface("com.example.helper")
public class HelperService {

	/** Released by tests to let {@link #slow} finish. */
	public final CountDownLatch release = new CountDownLatch(1);

	/** Counts down when {@link #slow} starts. */
	public final CountDownLatch slowStarted = new CountDownLatch(1);

	/** Echo parameters. */
	public record Text(String text) {
	}

	/** Echo reply with who asked. */
	public record Echoed(String text, String caller, String thread) {
	}

	/** Countdown parameters. */
	public record Count(int from) {
	}

	/** One tick. */
	public record Tick(int n) {
	}

	/** Echoes the text with the caller's signing identifier. */
	@IpcMethod
	public Echoed echo(Text text, Peer peer) {
		return new Echoed(text.text(), String.valueOf(peer.fact("signing-identifier")), Thread.currentThread().getName());
	}

	/** {@link #echo}, declared non-blocking: runs on the thread that delivered the message. */
	@IpcMethod(blocking = false)
	public Echoed echoInline(Text text, Peer peer) {
		return echo(text, peer);
	}

	/** Streams from..1, then 0. */
	@IpcMethod
	public Tick countdown(Count count, IpcStream<Tick> ticks) {
		for (int i = count.from(); i > 0; i--) {
			ticks.send(new Tick(i));
		}
		return new Tick(0);
	}

	/** A number no XPC type can carry. */
	public record Huge(java.math.BigInteger n) {
	}

	/** Replies with 2^70. */
	@IpcMethod
	public Huge huge() {
		return new Huge(java.math.BigInteger.TWO.pow(70));
	}

	/** Waits until released. */
	@IpcMethod
	public Text slow(Text text) throws InterruptedException {
		this.slowStarted.countDown();
		this.release.await(30, TimeUnit.SECONDS);
		return text;
	}

}
