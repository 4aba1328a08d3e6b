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
