package dev.peergate.xpc;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.peergate.core.Peer;
import dev.peergate.handler.IpcError;
import dev.peergate.handler.IpcErrorType;
import dev.peergate.handler.IpcInterface;
import dev.peergate.handler.IpcMethod;
import dev.peergate.handler.IpcStream;

/** The handler the XPC listener tests call. */
@IpcInterface("com.example.helper")
@IpcErrorType(name = "NotFound", parameters = HelperService.NotFound.class)
public class HelperService {

	/** Released by tests to let {@link #slow} finish. */
	public final CountDownLatch release = new CountDownLatch(1);

	/** Counts down when {@link #slow} starts. */
	public final CountDownLatch slowStarted = new CountDownLatch(1);

	/** Items {@link #produce} and {@link #flood} have sent so far. */
	public final AtomicInteger produced = new AtomicInteger();

	/** Counts down when {@link #produce} returns. */
	public final CountDownLatch produceEnded = new CountDownLatch(1);

	/** Whether {@link #produce} stopped because it was interrupted (the call's timeout). */
	public final AtomicBoolean produceInterrupted = new AtomicBoolean();

	/** Echo parameters. */
	public record Text(String text) {
	}

	/** Echo reply with who asked. */
	public record Echoed(String text, String caller, String thread) {
	}

	/** Parameters of the typed error {@code com.example.helper.NotFound}. */
	public record NotFound(String key) {
	}

	/** Finds nothing: answers every key with the typed error {@code com.example.helper.NotFound}. */
	@IpcMethod
	public Text lookup(Text key) {
		throw IpcError.of("com.example.helper.NotFound", new NotFound(key.text()));
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

	/** Streams 1..count, counting what it sent; stops when interrupted. */
	@IpcMethod
	public Tick produce(Count count, IpcStream<Tick> ticks) {
		try {
			for (int i = 1; i <= count.from(); i++) {
				ticks.send(new Tick(i));
				this.produced.incrementAndGet();
				if (Thread.currentThread().isInterrupted()) {
					this.produceInterrupted.set(true);
					break;
				}
			}
			return new Tick(0);
		}
		finally {
			this.produceEnded.countDown();
		}
	}

	/** {@link #produce} without waiting, declared non-blocking: runs on the thread that delivered the call. */
	@IpcMethod(blocking = false)
	public Tick flood(Count count, IpcStream<Tick> ticks) {
		for (int i = 1; i <= count.from(); i++) {
			ticks.send(new Tick(i));
			this.produced.incrementAndGet();
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
