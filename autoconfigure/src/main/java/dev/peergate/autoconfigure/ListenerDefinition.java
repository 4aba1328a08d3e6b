package dev.peergate.autoconfigure;

import java.util.Map;
import java.util.Set;

import dev.peergate.core.Mechanism;
import dev.peergate.core.PeerRequirement;
import dev.peergate.unix.UnixListenerOptions;
import dev.peergate.xpc.XpcListenerOptions;

/**
 * One listener's settings, read from {@code peergate.listeners.<name>}, validated and resolved once (transport,
 * requirement, limits): what a {@link PeerListenerFactory} builds a listener from. One variant per transport.
 *
 * <pre>{@code
 * if (definition instanceof ListenerDefinition.Unix unix) {
 *     log.info("{} on {}, mode {}", unix.name(), unix.options().path(), unix.options().mode());
 * }
 * }</pre>
 */
public sealed interface ListenerDefinition {

	/** Listener name from the configuration. */
	String name();

	/** The requirements of single methods, by fully qualified method name; empty when there are none. */
	default Map<String, PeerRequirement> methodRequirements() {
		return Map.of();
	}

	/** The methods whose requirement is only audited ({@code methods[...].enforcement: audit}). */
	default Set<String> auditedMethods() {
		return Set.of();
	}

	/**
	 * A varlink listener on a Unix socket.
	 * @param name listener name
	 * @param options socket and limits
	 * @param mechanism how peers are identified on this machine
	 * @param requirement what a peer must satisfy
	 * @param methodRequirements what a peer must satisfy besides to call a method, by fully qualified method name
	 * @param audit whether refusals of the requirement are only recorded ({@code enforcement: audit})
	 * @param auditedMethods the methods whose requirement is only audited
	 */
	record Unix(String name, UnixListenerOptions options, Mechanism mechanism, PeerRequirement requirement,
			Map<String, PeerRequirement> methodRequirements, boolean audit,
			Set<String> auditedMethods) implements ListenerDefinition {

		public Unix {
			methodRequirements = Map.copyOf(methodRequirements);
			auditedMethods = Set.copyOf(auditedMethods);
		}

	}

	/**
	 * An XPC Mach-service listener; its mechanism is chosen for the running macOS when it is created.
	 * @param name listener name
	 * @param options service name, requirement, enforcement and limits
	 * @param audit whether refusals of the requirement are only recorded ({@code enforcement: audit}; Peergate checks
	 * each message as with observed)
	 */
	record Xpc(String name, XpcListenerOptions options, boolean audit) implements ListenerDefinition {
	}

	/**
	 * A listener reachable only from this JVM.
	 * @param name listener name
	 * @param mechanism {@link Mechanism#STATED}
	 * @param requirement what a peer must satisfy
	 * @param methodRequirements what a peer must satisfy besides to call a method, by fully qualified method name
	 * @param audit whether refusals of the requirement are only recorded ({@code enforcement: audit})
	 * @param auditedMethods the methods whose requirement is only audited
	 */
	record InProcess(String name, Mechanism mechanism, PeerRequirement requirement,
			Map<String, PeerRequirement> methodRequirements, boolean audit,
			Set<String> auditedMethods) implements ListenerDefinition {

		public InProcess {
			methodRequirements = Map.copyOf(methodRequirements);
			auditedMethods = Set.copyOf(auditedMethods);
		}

	}

}
