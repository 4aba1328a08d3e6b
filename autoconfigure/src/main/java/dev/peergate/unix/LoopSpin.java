package dev.peergate.unix;

import io.netty.channel.SelectStrategy;
import io.netty.util.IntSupplier;

/** EXPERIMENT: the event loop spins instead of sleeping while calls it handed to handler threads run. */
final class LoopSpin implements SelectStrategy {

	static final long SPIN_NANOS = Long.getLong("peergate.loop-spin-micros", 50) * 1000;

	private static final ThreadLocal<int[]> HANDED_OFF = ThreadLocal.withInitial(() -> new int[1]);

	private final int[] handedOff = null;

	private long spinStart;

	static int[] counter() {
		return HANDED_OFF.get();
	}

	@Override
	public int calculateStrategy(IntSupplier selectSupplier, boolean hasTasks) throws Exception {
		if (hasTasks) {
			this.spinStart = 0;
			return selectSupplier.get();
		}
		if (HANDED_OFF.get()[0] > 0) {
			long now = System.nanoTime();
			if (this.spinStart == 0) {
				this.spinStart = now;
			}
			if (now - this.spinStart < SPIN_NANOS) {
				int ready = selectSupplier.get();
				if (ready > 0) {
					this.spinStart = 0;
					return ready;
				}
				Thread.onSpinWait();
				return SelectStrategy.CONTINUE;
			}
		}
		this.spinStart = 0;
		return SelectStrategy.SELECT;
	}

}
