package dev.peergate.unix;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A well-behaved client calling Echo in a loop on its own connection while a test attacks the listener; its calls
 * keep the connection from idling out, and every one must be answered.
 */
final class Bystander implements AutoCloseable {

	private final VarlinkTestClient client;

	private final Thread thread;

	private final AtomicInteger answered = new AtomicInteger();

	private final AtomicReference<Throwable> failure = new AtomicReference<>();

	private volatile boolean running = true;

	Bystander(ListenerFixture fixture) {
		this.client = fixture.connect();
		ListenerFixture.assertEchoes(this.client, "hello");
		this.thread = new Thread(this::run, "bystander");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	private void run() {
		int i = 0;
		while (this.running) {
			try {
				String text = "ping " + i++;
				Map<String, Object> reply = this.client.call("dev.peergate.test.Echo", Map.of("text", text));
				if (!Map.of("text", text).equals(reply.get("parameters"))) {
					throw new IllegalStateException("unexpected reply " + reply);
				}
				this.answered.incrementAndGet();
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				return;
			}
			catch (Throwable ex) {
				this.failure.compareAndSet(null, ex);
				return;
			}
		}
	}

	/** Stops the loop and asserts that every call was answered and that some were made meanwhile. */
	void assertServedThroughout() throws InterruptedException {
		int before = this.answered.get();
		long deadline = System.nanoTime() + 5_000_000_000L;
		while (this.answered.get() == before && this.failure.get() == null && System.nanoTime() < deadline) {
			Thread.sleep(10); // at least one more answered call after the attack
		}
		this.running = false;
		this.thread.join(10_000);
		assertThat(this.failure.get()).as("bystander failure").isNull();
		assertThat(this.answered.get()).isGreaterThan(before);
	}

	@Override
	public void close() {
		this.running = false;
		this.thread.interrupt();
		this.client.close();
	}

}
