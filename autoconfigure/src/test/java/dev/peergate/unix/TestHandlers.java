package dev.peergate.unix;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.peergate.core.Peer;
import dev.peergate.handler.IpcInterface;
import dev.peergate.handler.IpcMethod;
import dev.peergate.handler.IpcStream;

/** Handlers the transport tests call. */
@IpcInterface("dev.peergate.test")
class TestHandlers {

	/** Released by tests that hold calls in flight. */
	volatile CountDownLatch gate = new CountDownLatch(0);

	@IpcMethod
	Text echo(Text text) {
		return text;
	}

	@IpcMethod
	Text sleep(Millis millis) throws InterruptedException {
		Thread.sleep(millis.millis());
		return new Text("slept " + millis.millis());
	}

	/** Calls waiting in {@link #hold}. */
	final AtomicInteger holding = new AtomicInteger();

	@IpcMethod
	Text hold(Text text) throws InterruptedException {
		this.holding.incrementAndGet();
		try {
			this.gate.await(30, TimeUnit.SECONDS);
		}
		finally {
			this.holding.decrementAndGet();
		}
		return text;
	}

	@IpcMethod
	Text count(Millis count, IpcStream<Text> stream) {
		for (long i = 1; i < count.millis(); i++) {
			stream.send(new Text("item " + i));
		}
		return new Text("item " + count.millis());
	}

	/** The thread the last {@code ThreadName} or {@code BlockingThreadName} call ran on. */
	volatile Thread lastThread;

	/** Declared non-blocking: runs on the thread that read the call. */
	@IpcMethod(blocking = false)
	Text threadName() {
		this.lastThread = Thread.currentThread();
		return new Text(this.lastThread.getName());
	}

	@IpcMethod
	Text blockingThreadName() {
		return threadName();
	}

	@IpcMethod(blocking = false)
	Text echoInline(Text text) {
		return text;
	}

	@IpcMethod(blocking = false)
	Text countInline(Millis count, IpcStream<Text> stream) {
		return count(count, stream);
	}

	@IpcMethod
	Who whoAmI(Peer peer) {
		return new Who(peer.uid(), peer.fact("executable-path"), peer.fact("systemd-unit"));
	}

	/** Intermediate replies {@link #flood} has handed over so far. */
	final AtomicInteger flooded = new AtomicInteger();

	/** Streams replies of about a kilobyte for as long as the peer is connected (or {@code count} of them). */
	@IpcMethod
	Text flood(Millis count, IpcStream<Text> stream) {
		String kilobyte = "x".repeat(1000);
		for (long i = 0; i < count.millis() && stream.isOpen(); i++) {
			stream.send(new Text(kilobyte));
			this.flooded.incrementAndGet();
		}
		return new Text("done");
	}

	/** {@link #flood} on the thread that read the call: nothing can make it wait. */
	@IpcMethod(blocking = false)
	Text floodInline(Millis count, IpcStream<Text> stream) {
		return flood(count, stream);
	}

	/** Streams a reply every 50 ms, {@code count} of them, for as long as the call is open. */
	@IpcMethod
	Text tick(Millis count, IpcStream<Text> stream) throws InterruptedException {
		for (long i = 0; i < count.millis() && stream.isOpen(); i++) {
			stream.send(new Text("tick " + i));
			Thread.sleep(50);
		}
		return new Text("done");
	}

	/** Fails with the caller's text as the message, as a handler that echoes its input in an exception would. */
	@IpcMethod
	Text fail(Text text) {
		throw new IllegalStateException(text.text());
	}

	record Text(String text) {
	}

	record Millis(long millis) {
	}

	record Who(long uid, String executable, String unit) {
	}

}
