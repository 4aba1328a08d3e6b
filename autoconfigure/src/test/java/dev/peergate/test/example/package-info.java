/**
 * An application as a user writes one (a handler, a bean that is no handler, its configuration) and the tests of
 * the test support that run against it.
 */
@NullMarked
package dev.peergate.test.example;

import org.jspecify.annotations.NullMarked;
