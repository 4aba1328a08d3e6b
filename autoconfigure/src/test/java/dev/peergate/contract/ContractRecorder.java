package dev.peergate.contract;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.peergate.core.TransportEvents;
import dev.peergate.core.Verdict;
import dev.peergate.core.VerdictSink;
import org.jspecify.annotations.Nullable;

/** Records the verdicts, limits and protocol errors a listener and its dispatcher report. */
final class ContractRecorder implements VerdictSink, TransportEvents {

	final List<Verdict> verdicts = new CopyOnWriteArrayList<>();

	/** {@code listener/limit}. */
	final List<String> limits = new CopyOnWriteArrayList<>();

	/** {@code listener/kind}. */
	final List<String> protocolErrors = new CopyOnWriteArrayList<>();

	@Override
	public void accept(Verdict verdict) {
		this.verdicts.add(verdict);
	}

	@Override
	public void protocolError(String listener, String kind) {
		this.protocolErrors.add(listener + "/" + kind);
	}

	@Override
	public void limitExceeded(String listener, String limit) {
		this.limits.add(listener + "/" + limit);
	}

	static Map<String, Object> nonNull(Map<String, ? extends @Nullable Object> parameters) {
		Map<String, Object> copy = new LinkedHashMap<>();
		parameters.forEach((key, value) -> copy.put(key, (value != null) ? value : "null"));
		return copy;
	}

}
