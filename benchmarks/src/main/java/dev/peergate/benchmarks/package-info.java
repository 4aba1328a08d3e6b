/**
 * Benchmark servers and JMH benchmarks; run through {@code benchmarks/run.sh}, never part of the test run.
 */
@NullMarked
package dev.peergate.benchmarks;

import org.jspecify.annotations.NullMarked;
