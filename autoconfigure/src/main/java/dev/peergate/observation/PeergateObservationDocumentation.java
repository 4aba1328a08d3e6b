package dev.peergate.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations Peergate records. Boot turns each into a timer tagged with the low-cardinality keys; the
 * high-cardinality keys (peer details) go to traces only.
 *
 * <pre>{@code
 * Timer rejections = meterRegistry.get("peergate.peer.verification") // PEER_VERIFICATION
 *     .tags("listener", "helper", "outcome", "rejected")
 *     .timer();
 * }</pre>
 */
public enum PeergateObservationDocumentation implements ObservationDocumentation {

	/** One verdict about one peer: {@code peergate.peer.verification}. */
	PEER_VERIFICATION {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultPeerVerificationObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return VerificationLowCardinalityKeys.values();
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return PeerHighCardinalityKeys.values();
		}

	},

	/** One call handled for an accepted peer: {@code peergate.request}. */
	REQUEST {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultRequestObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return RequestLowCardinalityKeys.values();
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return PeerHighCardinalityKeys.values();
		}

	};

	/** Low-cardinality keys of {@link #PEER_VERIFICATION}. */
	public enum VerificationLowCardinalityKeys implements KeyName {

		/** Listener name. */
		LISTENER("listener"),

		/** Transport: unix, xpc, in-process. */
		TRANSPORT("transport"),

		/** Mechanism tag, see {@code dev.peergate.core.Mechanism}. */
		MECHANISM("mechanism"),

		/** accepted, rejected, error. */
		OUTCOME("outcome"),

		/** Reason tag, see {@code dev.peergate.core.Reason}. */
		REASON("reason");

		private final String key;

		VerificationLowCardinalityKeys(String key) {
			this.key = key;
		}

		@Override
		public String asString() {
			return this.key;
		}

	}

	/** Low-cardinality keys of {@link #REQUEST}. */
	public enum RequestLowCardinalityKeys implements KeyName {

		/** Listener name. */
		LISTENER("listener"),

		/** Transport. */
		TRANSPORT("transport"),

		/** Interface name. */
		INTERFACE("interface"),

		/** Method name (qualified). Bounded: unknown methods are tagged {@code UNKNOWN}. */
		METHOD("method"),

		/** success, oneway, or the error name. */
		OUTCOME("outcome");

		private final String key;

		RequestLowCardinalityKeys(String key) {
			this.key = key;
		}

		@Override
		public String asString() {
			return this.key;
		}

	}

	/** High-cardinality keys describing the peer (traces only). */
	public enum PeerHighCardinalityKeys implements KeyName {

		/** Peer uid. */
		PEER_UID("peer.uid"),

		/** Peer PID hint (never an identity). */
		PEER_PID("peer.pid"),

		/** Peer identity summary (signing identifier, executable, unit). */
		PEER_IDENTIFIER("peer.identifier");

		private final String key;

		PeerHighCardinalityKeys(String key) {
			this.key = key;
		}

		@Override
		public String asString() {
			return this.key;
		}

	}

}
