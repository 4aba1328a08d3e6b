package dev.peergate.handler;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

/**
 * The platform-thread pool behind {@link HandlerExecutor#platform}: at most {@code maxThreads} threads and
 * {@code queueCapacity} waiting tasks, like a fixed {@code ThreadPoolExecutor}, but idle workers are woken last-in
 * first-out: the thread that parked last, whose stack and caches are warm and which the scheduler still has on a
 * core, gets the next task, and the others time out. {@code ThreadPoolExecutor} starts a thread per task up to its
 * core size and then wakes its waiting threads first-in first-out: every call woke the coldest of 64 threads
 * (docs/performance.md: 1.14x the calls on 4 connections in the harness, ~1.7x in the per-thread probe). A worker
 * that runs out of work parks, except the last one running, which spins briefly first while {@link IdleSpin} says
 * that recent idle periods were short enough for a spin to catch the next task: always spinning cost more than it
 * saved on a machine whose cores the event loop and the callers share.
 */
final class HandoffPool {

	private static final long KEEP_ALIVE_NANOS = TimeUnit.SECONDS.toNanos(60);

	private final int maxThreads;

	private final int queueCapacity;

	private final String namePrefix;

	/** Parked workers, the most recently parked first. Guarded by {@code this}, as is everything below. */
	private final ArrayDeque<Worker> parked = new ArrayDeque<>();

	private final ArrayDeque<Runnable> queue = new ArrayDeque<>();

	private final List<Worker> workers = new ArrayList<>();

	private int created;

	/** When the last worker running should spin before it parks; its advice is a heuristic, updated without a lock. */
	private final IdleSpin idleSpin;

	/** Whether a worker is spinning: at most one does. Set holding the lock, cleared by the spinner. */
	private volatile boolean spinning;

	private volatile boolean shutdown;

	HandoffPool(int maxThreads, int queueCapacity, String namePrefix) {
		this(maxThreads, queueCapacity, namePrefix, new IdleSpin());
	}

	HandoffPool(int maxThreads, int queueCapacity, String namePrefix, IdleSpin idleSpin) {
		this.maxThreads = maxThreads;
		this.queueCapacity = queueCapacity;
		this.namePrefix = namePrefix;
		this.idleSpin = idleSpin;
	}

	/** Runs the task on an idle worker, a new one, or after the running ones; refuses it beyond the bounds. */
	void execute(Runnable task) {
		Worker worker;
		boolean start = false;
		synchronized (this) {
			if (this.shutdown) {
				throw new RejectedExecutionException("Handler executor is shut down");
			}
			worker = this.parked.pollFirst();
			if (worker == null) {
				if (this.workers.size() < this.maxThreads) {
					worker = new Worker(this.namePrefix + (++this.created));
					this.workers.add(worker);
					start = true;
				}
				else if (this.queue.size() < this.queueCapacity) {
					this.idleSpin.overlapped(System.nanoTime());
					this.queue.add(task);
					return;
				}
				else {
					throw new RejectedExecutionException("Handler executor is at capacity");
				}
			}
			worker.task = task;
			if (this.workers.size() - this.parked.size() > 1) {
				this.idleSpin.overlapped(System.nanoTime()); // another call runs: the cores are wanted elsewhere
			}
		}
		if (start) {
			try {
				worker.thread.start();
			}
			catch (OutOfMemoryError ex) { // no thread to be had: refused like any task beyond the bounds
				synchronized (this) {
					retire(worker);
				}
				throw new RejectedExecutionException("Handler executor could not start a thread", ex);
			}
		}
		else {
			LockSupport.unpark(worker.thread);
		}
	}

	/** How many workers wait for a task, spinning or parked. */
	synchronized int idleWorkers() {
		return this.parked.size();
	}

	/** Stops taking tasks; running and queued ones still run. */
	synchronized void shutdown() {
		this.shutdown = true;
		wakeIdle();
	}

	/** Stops taking tasks, drops the queued ones and interrupts the running ones. */
	synchronized void shutdownNow() {
		this.shutdown = true;
		this.queue.clear();
		for (Worker worker : this.workers) {
			worker.thread.interrupt();
		}
		wakeIdle();
	}

	/** Waits until every worker has ended after a shutdown; {@code false} if the wait ran out. */
	synchronized boolean awaitTermination(long nanos) throws InterruptedException {
		long deadline = System.nanoTime() + nanos;
		while (!this.workers.isEmpty()) {
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				return false;
			}
			TimeUnit.NANOSECONDS.timedWait(this, left);
		}
		return true;
	}

	private void wakeIdle() {
		for (Worker worker : this.parked) {
			LockSupport.unpark(worker.thread);
		}
	}

	/** The next task for a worker that finished one, or {@code null} when it should end. */
	private @Nullable Runnable next(Worker worker) {
		boolean spin;
		long idleSince;
		synchronized (this) {
			Runnable queued = this.queue.poll();
			if (queued != null) {
				return queued;
			}
			if (this.shutdown) {
				return retire(worker);
			}
			this.parked.addFirst(worker);
			idleSince = System.nanoTime();
			spin = !this.spinning && this.parked.size() == this.workers.size() && this.idleSpin.advised(idleSince);
			this.spinning |= spin;
		}
		return await(worker, spin, idleSince);
	}

	/**
	 * Waits until a task is given, the pool shuts down or the keep-alive runs out: spinning first for up to
	 * {@link IdleSpin#spinNanos()} if {@code spin}, then parked.
	 */
	private @Nullable Runnable await(Worker worker, boolean spin, long idleSince) {
		boolean spinning = spin;
		while (spinning && worker.task == null && !this.shutdown
				&& System.nanoTime() - idleSince < this.idleSpin.spinNanos()) {
			Thread.onSpinWait();
		}
		long deadline = idleSince + KEEP_ALIVE_NANOS;
		while (true) {
			Runnable task = worker.task;
			if (task != null) {
				worker.task = null;
				waited(System.nanoTime() - idleSince, spinning);
				return task;
			}
			if (spinning) {
				this.spinning = false;
				spinning = false;
			}
			long left = deadline - System.nanoTime();
			if (left <= 0 || this.shutdown) {
				synchronized (this) {
					if (worker.task == null) {
						this.parked.remove(worker);
						return retire(worker);
					}
				}
				continue;
			}
			LockSupport.parkNanos(this, left);
			Thread.interrupted(); // a late handler timeout's interrupt, meant for a call that has ended
		}
	}

	/**
	 * A worker waited {@code nanos} for its task: what the next workers' spinning is decided on. Without the lock,
	 * which the event loop takes for every call: a lost update of the advice costs one spin more or less.
	 */
	private void waited(long nanos, boolean spun) {
		this.idleSpin.waited(nanos);
		if (spun) {
			this.spinning = false;
		}
	}

	/** Takes the worker out of the pool (holding the lock). */
	private @Nullable Runnable retire(Worker worker) {
		this.workers.remove(worker);
		if (this.workers.isEmpty()) {
			notifyAll();
		}
		return null;
	}

	private final class Worker implements Runnable {

		final Thread thread;

		/** The task given to this worker while it was idle. */
		volatile @Nullable Runnable task;

		Worker(String name) {
			this.thread = new Thread(this, name);
			this.thread.setDaemon(true);
		}

		@Override
		public void run() {
			Runnable current = this.task;
			this.task = null;
			while (current != null) {
				try {
					current.run();
				}
				catch (RuntimeException | Error ex) {
					Thread thread = Thread.currentThread();
					thread.getUncaughtExceptionHandler().uncaughtException(thread, ex);
				}
				Thread.interrupted(); // an interrupt meant for the finished task must not reach the next
				current = next(this);
			}
		}

	}

}
