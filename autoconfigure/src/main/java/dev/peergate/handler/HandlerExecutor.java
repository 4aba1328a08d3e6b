package dev.peergate.handler;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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

	private final ExecutorService executor;

	private final Semaphore admitted;

	private final boolean virtualThreads;

	private HandlerExecutor(ExecutorService executor, Semaphore admitted, boolean virtualThreads) {
		this.executor = executor;
		this.admitted = admitted;
		this.virtualThreads = virtualThreads;
	}

	/** An executor with the given bounds, on virtual threads when the JVM has them. */
	public static HandlerExecutor create(int maxConcurrent, int queueCapacity) {
		if (maxConcurrent < 1 || queueCapacity < 0) {
			throw new IllegalArgumentException("maxConcurrent must be >= 1 and queueCapacity >= 0");
		}
		ExecutorService virtual = virtualThreadExecutor();
		if (virtual != null) {
			return new HandlerExecutor(virtual, new Semaphore(maxConcurrent + queueCapacity), true);
		}
		return platform(maxConcurrent, queueCapacity);
	}

	/** An executor on platform threads regardless of the JVM (tests, or when virtual threads are unwanted). */
	public static HandlerExecutor platform(int maxConcurrent, int queueCapacity) {
		AtomicInteger counter = new AtomicInteger();
		ThreadFactory factory = runnable -> {
			Thread thread = new Thread(runnable, "peergate-handler-" + counter.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
		ThreadPoolExecutor pool = new ThreadPoolExecutor(maxConcurrent, maxConcurrent, 60, TimeUnit.SECONDS,
				(queueCapacity > 0) ? new ArrayBlockingQueue<>(queueCapacity) : new java.util.concurrent.SynchronousQueue<>(),
				factory, new ThreadPoolExecutor.AbortPolicy());
		pool.allowCoreThreadTimeOut(true);
		return new HandlerExecutor(pool, new Semaphore(Integer.MAX_VALUE), false);
	}

	/**
	 * Runs the task.
	 * @throws RejectedExecutionException when the bound is reached or the executor is shut down
	 */
	public void execute(Runnable task) {
		if (!this.admitted.tryAcquire()) {
			throw new RejectedExecutionException("Handler executor is at capacity");
		}
		try {
			this.executor.execute(() -> {
				try {
					task.run();
				}
				finally {
					this.admitted.release();
				}
			});
		}
		catch (RejectedExecutionException ex) {
			this.admitted.release();
			throw ex;
		}
	}

	/** Whether handlers run on virtual threads. */
	public boolean usesVirtualThreads() {
		return this.virtualThreads;
	}

	/** Stops taking calls and waits up to {@code timeout} for running ones. */
	public boolean shutdown(Duration timeout) {
		this.executor.shutdown();
		try {
			return this.executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	@Override
	public void close() {
		this.executor.shutdownNow();
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
