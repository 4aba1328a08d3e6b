package dev.peergate.handler;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * The bounded executor handlers run on, never an I/O or native callback thread. On a JVM with virtual threads
 * each call gets one, with at most {@code maxConcurrent + queueCapacity} calls admitted; otherwise a fixed pool of
 * {@code maxConcurrent} daemon platform threads with a queue of {@code queueCapacity}. A call beyond the bound is
 * refused at once ({@link RejectedExecutionException}), so overload is an error reply, not a pile-up.
 *
 * <pre>{@code
 * try (HandlerExecutor executor = HandlerExecutor.create(64, 256)) {
 *     executor.execute(() -> handle(call)); // RejectedExecutionException beyond 64 running + 256 waiting
 * }
 * }</pre>
 */
public final class HandlerExecutor implements AutoCloseable {

	/** Virtual threads, one per task; {@code null} on platform threads. */
	private final @Nullable ExecutorService virtual;

	private final @Nullable HandoffPool pool;

	/** Bounds the virtual threads; the pool bounds itself. */
	private final @Nullable Semaphore admitted;

	private HandlerExecutor(@Nullable ExecutorService virtual, @Nullable HandoffPool pool, @Nullable Semaphore admitted) {
		this.virtual = virtual;
		this.pool = pool;
		this.admitted = admitted;
	}

	/** An executor with the given bounds, on virtual threads when the JVM has them. */
	public static HandlerExecutor create(int maxConcurrent, int queueCapacity) {
		if (maxConcurrent < 1 || queueCapacity < 0) {
			throw new IllegalArgumentException("maxConcurrent must be >= 1 and queueCapacity >= 0");
		}
		ExecutorService virtual = virtualThreadExecutor();
		if (virtual != null) {
			return new HandlerExecutor(virtual, null, new Semaphore(maxConcurrent + queueCapacity));
		}
		return platform(maxConcurrent, queueCapacity);
	}

	/**
	 * An executor on platform threads regardless of the JVM (tests, or when virtual threads are unwanted): a
	 * {@link HandoffPool}, whose idle worker spins briefly before it parks, so that handing a call over under load
	 * costs no wake-up.
	 */
	public static HandlerExecutor platform(int maxConcurrent, int queueCapacity) {
		if (maxConcurrent < 1 || queueCapacity < 0) {
			throw new IllegalArgumentException("maxConcurrent must be >= 1 and queueCapacity >= 0");
		}
		return new HandlerExecutor(null, new HandoffPool(maxConcurrent, queueCapacity, "peergate-handler-"), null);
	}

	/**
	 * Runs the task.
	 * @throws RejectedExecutionException when the bound is reached or the executor is shut down
	 */
	public void execute(Runnable task) {
		if (this.pool != null) {
			this.pool.execute(task); // bounded by the pool itself
			return;
		}
		Semaphore admitted = Objects.requireNonNull(this.admitted);
		if (!admitted.tryAcquire()) {
			throw new RejectedExecutionException("Handler executor is at capacity");
		}
		try {
			Objects.requireNonNull(this.virtual).execute(() -> {
				try {
					task.run();
				}
				finally {
					admitted.release();
				}
			});
		}
		catch (RejectedExecutionException ex) {
			admitted.release();
			throw ex;
		}
	}

	/** Whether handlers run on virtual threads. */
	public boolean usesVirtualThreads() {
		return this.virtual != null;
	}

	/** Stops taking calls and waits up to {@code timeout} for running ones. */
	public boolean shutdown(Duration timeout) {
		try {
			if (this.pool != null) {
				this.pool.shutdown();
				return this.pool.awaitTermination(timeout.toNanos());
			}
			ExecutorService threads = Objects.requireNonNull(this.virtual);
			threads.shutdown();
			return threads.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	@Override
	public void close() {
		if (this.pool != null) {
			this.pool.shutdownNow();
		}
		else {
			Objects.requireNonNull(this.virtual).shutdownNow();
		}
	}

	private static ExecutorService virtualThreadExecutor() {
		try {
			MethodHandles.Lookup lookup = MethodHandles.publicLookup();
			Class<?> builderClass = Class.forName("java.lang.Thread$Builder");
			Object builder = lookup.findStatic(Thread.class, "ofVirtual",
					MethodType.methodType(Class.forName("java.lang.Thread$Builder$OfVirtual")))
				.invoke();
			builder = lookup.findVirtual(builderClass, "name", MethodType.methodType(builderClass, String.class, long.class))
				.invoke(builder, "peergate-handler-", 1L);
			ThreadFactory factory = (ThreadFactory) lookup
				.findVirtual(builderClass, "factory", MethodType.methodType(ThreadFactory.class))
				.invoke(builder);
			return (ExecutorService) lookup.findStatic(java.util.concurrent.Executors.class,
					"newThreadPerTaskExecutor", MethodType.methodType(ExecutorService.class, ThreadFactory.class))
				.invoke(factory);
		}
		catch (Throwable ex) {
			return null;
		}
	}

}
