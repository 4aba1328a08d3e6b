/**
 * Micrometer Observation instrumentation of Peergate: the {@code peergate.peer.verification} and
 * {@code peergate.request} observations with replaceable conventions, and the meters that are not operations
 * (active connections, protocol errors, limit breaches). No Spring here.
 */
@NullMarked
package dev.peergate.observation;

import org.jspecify.annotations.NullMarked;
