/**
 * One contract every transport keeps: lifecycle, drain, connection inventory and limit reporting, run against the
 * Unix, XPC (simulator) and in-process transports alike.
 */
@NullMarked
package dev.peergate.contract;

import org.jspecify.annotations.NullMarked;
