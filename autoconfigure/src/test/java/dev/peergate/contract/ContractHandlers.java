package dev.peergate.contract;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.peergate.handler.IpcInterface;
import dev.peergate.handler.IpcMethod;

/** Handlers the contract calls on every transport. */
@IpcInterface("dev.peergate.contract")
public class ContractHandlers {

	/** Released by tests that hold calls in flight. */
	final CountDownLatch release = new CountDownLatch(1);

	/** Calls waiting in {@link #hold}. */
	final AtomicInteger holding = new AtomicInteger();

	@IpcMethod
	public Text echo(Text text) {
		return text;
	}

	@IpcMethod
	public Text hold(Text text) throws InterruptedException {
		this.holding.incrementAndGet();
		try {
			this.release.await(30, TimeUnit.SECONDS);
		}
		finally {
			this.holding.decrementAndGet();
		}
		return text;
	}

	@IpcMethod
	public Text sleep(Millis millis) throws InterruptedException {
		Thread.sleep(millis.millis());
		return new Text("slept");
	}

	/** A text. */
	public record Text(String text) {
	}

	/** A duration in milliseconds. */
	public record Millis(long millis) {
	}

}
