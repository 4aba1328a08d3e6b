package dev.peergate.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link VerdictSink} that keeps, per listener, the totals by outcome and the last rejections, for the actuator
 * endpoint and health. Bounded memory: at most {@code capacity} rejections per listener.
 *
 * <pre>{@code
 * VerdictLedger ledger = new VerdictLedger(50);
 * VerdictSink sink = VerdictSink.fanOut(List.of(ledger, metrics, events));
 * ledger.summary("helper").rejected();
 * }</pre>
 */
public final class VerdictLedger implements VerdictSink, CallVerdictSink {

	private final int capacity;

	private final Map<String, Entry> entries = new ConcurrentHashMap<>();

	/** A ledger remembering the last {@code capacity} rejections per listener. */
	public VerdictLedger(int capacity) {
		if (capacity < 0) {
			throw new IllegalArgumentException("capacity must be >= 0");
		}
		this.capacity = capacity;
	}

	@Override
	public void accept(Verdict verdict) {
		this.entries.computeIfAbsent(verdict.listener(), name -> new Entry()).record(verdict, this.capacity);
	}

	/** Counts a call decision and remembers it when the call was refused. */
	@Override
	public void accept(CallVerdict verdict) {
		this.entries.computeIfAbsent(verdict.listener(), name -> new Entry()).record(verdict, this.capacity);
	}

	/** Call decisions of a listener's method requirements and its recent refused calls (zeros when none). */
	public CallSummary callSummary(String listener) {
		Entry entry = this.entries.get(listener);
		return (entry != null) ? entry.callSummary() : new CallSummary(0, 0, List.of());
	}

	/**
	 * Call decisions of one listener and its recent refused calls, newest first.
	 *
	 * @param allowed calls a method requirement allowed
	 * @param refused calls refused (rejected, not decidable, or would be refused: enforcement audit)
	 * @param recentRefusals newest first
	 */
	public record CallSummary(long allowed, long refused, List<CallVerdict> recentRefusals) {

	}

	/** Totals and recent rejections of a listener (zeros when it has seen no peer). */
	public Summary summary(String listener) {
		Entry entry = this.entries.get(listener);
		return (entry != null) ? entry.summary() : new Summary(0, 0, 0, 0, List.of());
	}

	/**
	 * Totals of one listener and its recent rejections, newest first.
	 *
	 * @param accepted accepted peers
	 * @param rejected rejected peers
	 * @param errors peers refused because verification failed
	 * @param wouldReject peers served although the requirement refused them (enforcement audit)
	 * @param recentRejections newest first, rejected, error and would-reject verdicts
	 */
	public record Summary(long accepted, long rejected, long errors, long wouldReject, List<Verdict> recentRejections) {

	}

	private static final class Entry {

		private final LongAdder accepted = new LongAdder();

		private final LongAdder rejected = new LongAdder();

		private final LongAdder errors = new LongAdder();

		private final LongAdder wouldReject = new LongAdder();

		private final Deque<Verdict> recent = new ArrayDeque<>();

		private final LongAdder callsAllowed = new LongAdder();

		private final LongAdder callsRefused = new LongAdder();

		private final Deque<CallVerdict> recentCalls = new ArrayDeque<>();

		void record(CallVerdict verdict, int capacity) {
			if (verdict.outcome() == Outcome.ACCEPTED) {
				this.callsAllowed.increment();
				return;
			}
			this.callsRefused.increment();
			if (capacity > 0) {
				synchronized (this.recentCalls) {
					this.recentCalls.addFirst(verdict);
					while (this.recentCalls.size() > capacity) {
						this.recentCalls.removeLast();
					}
				}
			}
		}

		CallSummary callSummary() {
			List<CallVerdict> snapshot;
			synchronized (this.recentCalls) {
				snapshot = new ArrayList<>(this.recentCalls);
			}
			return new CallSummary(this.callsAllowed.sum(), this.callsRefused.sum(), List.copyOf(snapshot));
		}

		void record(Verdict verdict, int capacity) {
			switch (verdict.outcome()) {
				case ACCEPTED -> this.accepted.increment();
				case WOULD_REJECT -> this.wouldReject.increment();
				case REJECTED -> this.rejected.increment();
				case ERROR -> this.errors.increment();
			}
			if (verdict.outcome() != Outcome.ACCEPTED && capacity > 0) {
				synchronized (this.recent) {
					this.recent.addFirst(verdict);
					while (this.recent.size() > capacity) {
						this.recent.removeLast();
					}
				}
			}
		}

		Summary summary() {
			List<Verdict> snapshot;
			synchronized (this.recent) {
				snapshot = new ArrayList<>(this.recent);
			}
			return new Summary(this.accepted.sum(), this.rejected.sum(), this.errors.sum(), this.wouldReject.sum(),
					List.copyOf(snapshot));
		}

	}

}
