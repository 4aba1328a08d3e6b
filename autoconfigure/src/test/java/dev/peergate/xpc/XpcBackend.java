package dev.peergate.xpc;

import org.junit.jupiter.api.condition.OS;

import dev.peergate.xpc.jna.NativeLibraries;

/**
 * What the specifications marked {@link XpcSpecification} run against: the real libxpc and Security.framework on
 * macOS ({@link RealXpcBackend}), the libxpc ABI simulator elsewhere ({@link SimulatedXpcBackend}). Both serve an
 * anonymous listener to clients of this process, so a specification needs neither launchd nor injected identities:
 * whoever the client process is, {@link #acceptedRequirement()} admits it and {@link #refusedRequirement()} does
 * not.
 */
interface XpcBackend {

	/** The real libxpc on macOS, the simulator elsewhere (skipping the test when it cannot be built). */
	static XpcBackend current() {
		return OS.MAC.isCurrentOs() ? RealXpcBackend.current() : SimulatedXpcBackend.create();
	}

	/** Where production code loads libxpc, Security.framework and the rest from. */
	NativeLibraries libraries();

	/** A code-signing requirement the clients of this process satisfy. */
	XpcRequirement acceptedRequirement();

	/** A code-signing requirement they do not satisfy. */
	default XpcRequirement refusedRequirement() {
		return XpcRequirement.codeSigning("identifier \"dev.peergate.nobody\"");
	}

	/** The signing identifier a handler's {@code Peer} reports for the clients. */
	String clientIdentifier();

	/** Called before each client connects: who connects next (the simulator gives each its own process). */
	void nextClient();

	/** Nothing the test created is still alive (what the backend can count). */
	void assertNoLeaks();

	/** Puts back whatever the test changed. */
	void close();

}
