/**
 * Java clients for Peergate listeners, with server verification.
 */
@NullMarked
package dev.peergate.client;

import org.jspecify.annotations.NullMarked;
