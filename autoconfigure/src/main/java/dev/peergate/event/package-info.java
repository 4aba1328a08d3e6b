/**
 * Spring application events for verdicts and listener lifecycle. Listeners run synchronously on the thread that
 * decided (an I/O or native callback thread): keep them quick, or make them {@code @Async}.
 */
@NullMarked
package dev.peergate.event;

import org.jspecify.annotations.NullMarked;
