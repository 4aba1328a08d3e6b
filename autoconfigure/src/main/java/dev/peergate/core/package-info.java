/**
 * The engine's vocabulary: who a peer is, how it was verified and what was decided.
 * <p>
 * Nothing here imports Spring, Netty or JNA: transports capture {@link dev.peergate.core.PeerCredentials},
 * a {@link dev.peergate.core.Gate} turns them into a {@link dev.peergate.core.Verdict}, and every verdict
 * leaves through one {@link dev.peergate.core.VerdictSink}.
 */
@NullMarked
package dev.peergate.core;

import org.jspecify.annotations.NullMarked;
