/**
 * Test support, in the manner of Spring Boot's test slices: {@link dev.peergate.test.PeergateTest} starts the
 * application's handlers and Peergate's auto-configurations with every listener on the in-process transport,
 * {@link dev.peergate.test.WithPeer} states who is calling, and {@link dev.peergate.test.PeergateTester} calls as
 * that peer through the same gate and dispatcher a socket peer meets. Needs spring-boot-test-autoconfigure, which
 * {@code spring-boot-starter-test} brings.
 */
@NullMarked
package dev.peergate.test;

import org.jspecify.annotations.NullMarked;
