package dev.peergate.test;

import org.springframework.boot.test.autoconfigure.TestSliceTestContextBootstrapper;

/** Reads {@link PeergateTest#properties()} into the test's environment. */
class PeergateTestContextBootstrapper extends TestSliceTestContextBootstrapper<PeergateTest> {

}
