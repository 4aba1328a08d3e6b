/**
 * Auto-configuration of Peergate's actuator endpoint, health, info and audit bridge, active only with actuator.
 */
@NullMarked
package dev.peergate.autoconfigure.actuate;

import org.jspecify.annotations.NullMarked;
