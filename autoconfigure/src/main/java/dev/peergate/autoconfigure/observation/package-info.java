/**
 * Auto-configuration of Peergate's Micrometer observations and meters, active only when Micrometer is present.
 */
@NullMarked
package dev.peergate.autoconfigure.observation;

import org.jspecify.annotations.NullMarked;
