package dev.peergate.handler;

import org.jspecify.annotations.Nullable;

/**
 * The thread a call's handler runs on, for the timeout to interrupt: an interrupt reaches that thread only while it
 * runs this call, never the next task the thread takes.
 *
 * <p>Reading the thread and interrupting it happen under one lock, and the thread leaves under the same lock before
 * it clears its interrupt status; without the lock, a timer that read the thread just before the call ended would
 * interrupt whatever the thread runs next (another peer's call, which would fail for nothing).
 *
 * <pre>{@code
 * running.enter();
 * try { handler.run(); } finally { running.leave(); }
 * // from the timer: running.interrupt();
 * }</pre>
 */
final class RunningThread {

	private @Nullable Thread thread;

	/** The current thread runs the call from now on. */
	synchronized void enter() {
		this.thread = Thread.currentThread();
	}

	/** The current thread is done with the call: no interrupt for it reaches the thread after this returns. */
	void leave() {
		synchronized (this) {
			this.thread = null;
		}
		Thread.interrupted(); // an interrupt delivered before the thread left was for this call
	}

	/** Interrupts the thread if it still runs the call; whether it did. */
	synchronized boolean interrupt() {
		Thread running = this.thread;
		if (running == null) {
			return false;
		}
		running.interrupt();
		return true;
	}

}
