package dev.peergate.xpc;

import java.util.Map;

import dev.peergate.core.Mechanism;
import dev.peergate.requirement.InvalidRequirementException;
import dev.peergate.xpc.jna.XpcMessage;
import dev.peergate.xpc.jna.XpcPeerConnection;
import dev.peergate.xpc.jna.XpcSecurity;
import org.jspecify.annotations.Nullable;

/**
 * The listener's requirement bound to the native objects its mechanism checks with: compiled or created once at
 * start (so that a bad requirement fails the start rather than every peer), set on each peer connection for an
 * {@code os} mechanism, matched against each message for an {@code observed} one, released at the end.
 */
final class XpcRequirementBinding {

	private final XpcListenerSetup setup;

	private volatile XpcSecurity.@Nullable CompiledRequirement compiled;

	private volatile XpcSecurity.@Nullable PeerRequirementObject requirementObject;

	/** The methods' own code-signing requirements, compiled at start. */
	private volatile Map<String, XpcSecurity.CompiledRequirement> methods = Map.of();

	/** The methods' own lightweight requirements, created at start (macOS 26). */
	private volatile Map<String, XpcSecurity.PeerRequirementObject> methodObjects = Map.of();

	XpcRequirementBinding(XpcListenerSetup setup) {
		this.setup = setup;
	}

	/** Compiles or creates the requirement once, and each method's requirement. */
	void prepare() {
		prepareMethods();
		prepareListener();
	}

	private void prepareMethods() {
		Map<String, XpcRequirement> required = this.setup.options().methodRequirements();
		Map<String, XpcSecurity.CompiledRequirement> compiled = new java.util.LinkedHashMap<>();
		Map<String, XpcSecurity.PeerRequirementObject> objects = new java.util.LinkedHashMap<>();
		try {
			required.forEach((method, requirement) -> {
				if (requirement instanceof XpcRequirement.CodeSigning codeSigning) {
					compiled.put(method, compileMethod(method, codeSigning.text()));
				}
				else {
					objects.put(method, createMethodObject(method, requirement));
				}
			});
		}
		catch (RuntimeException ex) {
			compiled.values().forEach(XpcSecurity.CompiledRequirement::close);
			objects.values().forEach(XpcSecurity.PeerRequirementObject::close);
			throw ex;
		}
		this.methods = Map.copyOf(compiled);
		this.methodObjects = Map.copyOf(objects);
	}

	private XpcSecurity.CompiledRequirement compileMethod(String method, String text) {
		if (!this.setup.nativeXpc().availability().has("SecCodeCreateWithXPCMessage")) {
			throw new MechanismUnavailableException("method requirements are checked per message with "
					+ "SecCodeCreateWithXPCMessage (macOS 11+); this is macOS " + this.setup.version() + ".",
					java.util.List.of("run on macOS 11 or later", "check the caller in the handler"));
		}
		try {
			return this.setup.security().compile(text);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidRequirementException(null, 0, 0, "Security.framework rejected the code-signing "
					+ "requirement of " + method + ": " + ex.getMessage(), null, null, text);
		}
	}

	private XpcSecurity.PeerRequirementObject createMethodObject(String method, XpcRequirement requirement) {
		if (!this.setup.version().atLeast(26, 0)
				|| !this.setup.nativeXpc().availability().has("xpc_peer_requirement_match_received_message")) {
			throw new MechanismUnavailableException("a lightweight method requirement is matched per message with "
					+ "xpc_peer_requirement_match_received_message (macOS 26); this is macOS " + this.setup.version()
					+ ".", java.util.List.of("run on macOS 26 or later",
							"write the method's requirement as code-signing (macOS 11+)"));
		}
		try {
			return requirement.createObject(this.setup.security());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidRequirementException(null, 0, 0,
					"libxpc rejected the requirement of " + method + ": " + ex.getMessage(), null, null,
					requirement.describe());
		}
	}

	/**
	 * Checks a message calling {@code method} against the method's own requirement, by the message's audit token;
	 * {@code null} when the method has none.
	 */
	XpcSecurity.@Nullable Check verifyMethod(XpcMessage message, String method) {
		XpcSecurity.CompiledRequirement requirement = this.methods.get(method);
		if (requirement != null) {
			return this.setup.security().check(message, requirement, false);
		}
		XpcSecurity.PeerRequirementObject object = this.methodObjects.get(method);
		return (object != null) ? this.setup.security().match(message, object, false) : null;
	}

	private void prepareListener() {
		XpcRequirement requirement = this.setup.requirement();
		Mechanism mechanism = this.setup.mechanism();
		if (requirement instanceof XpcRequirement.CodeSigning codeSigning) {
			// Also for the os mechanism: libxpc would only fail per connection (pitfall: pre-compile the string).
			XpcSecurity.CompiledRequirement compiledRequirement;
			try {
				compiledRequirement = this.setup.security().compile(codeSigning.text());
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidRequirementException(null, 0, 0,
						"Security.framework rejected the code-signing requirement: " + ex.getMessage(), null, null,
						codeSigning.text());
			}
			if (checksCompiledRequirement(mechanism)) {
				this.compiled = compiledRequirement;
			}
			else {
				compiledRequirement.close();
			}
			return;
		}
		if (mechanism == Mechanism.XPC_PEER_REQUIREMENT_MATCH || mechanism == Mechanism.XPC_PEER_REQUIREMENT) {
			try {
				this.requirementObject = requirement.createObject(this.setup.security());
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidRequirementException(null, 0, 0,
						"libxpc rejected the requirement: " + ex.getMessage(), null, null, requirement.describe());
			}
		}
	}

	/** Whether the mechanism checks each message against a compiled code-signing requirement in this process. */
	private static boolean checksCompiledRequirement(Mechanism mechanism) {
		return switch (mechanism) {
			case SEC_CODE_XPC_MESSAGE, PRIVATE_AUDIT_TOKEN, PID_UNSAFE -> true;
			default -> false;
		};
	}

	/**
	 * The one requirement setter of an {@code os} mechanism; called exactly once per connection, before resume. The
	 * setter's result, 0 when set; the {@code void} setter of macOS 26 has none to give, so 0.
	 */
	int applyTo(XpcPeerConnection peer) {
		if (this.setup.mechanism() == Mechanism.XPC_PEER_REQUIREMENT) {
			XpcSecurity.PeerRequirementObject object = this.requirementObject;
			if (object == null) {
				throw new IllegalStateException("requirement object missing");
			}
			peer.setPeerRequirement(object);
			return 0;
		}
		return this.setup.requirement().applyTo(peer);
	}

	/** Checks a message's sender; {@code first}: the connection's first message, whose facts are read. */
	XpcSecurity.Check verify(XpcMessage message, boolean first) {
		XpcSecurity security = this.setup.security();
		switch (this.setup.mechanism()) {
			case SEC_CODE_XPC_MESSAGE, PRIVATE_AUDIT_TOKEN, PID_UNSAFE -> {
				XpcSecurity.CompiledRequirement requirement = this.compiled;
				if (requirement == null) {
					throw new IllegalStateException("listener is stopped");
				}
				return switch (this.setup.mechanism()) {
					case PRIVATE_AUDIT_TOKEN -> security.checkByAuditToken(message, requirement, first);
					case PID_UNSAFE -> security.checkByPid(message, requirement, first);
					default -> security.check(message, requirement, first);
				};
			}
			case XPC_PEER_REQUIREMENT_MATCH -> {
				XpcSecurity.PeerRequirementObject requirement = this.requirementObject;
				if (requirement == null) {
					throw new IllegalStateException("listener is stopped");
				}
				return security.match(message, requirement, first);
			}
			default -> {
				// libxpc delivered the message, so the sender passed the requirement set on the connection.
				XpcSecurity.SenderFacts facts = (first
						&& this.setup.nativeXpc().availability().has("SecCodeCreateWithXPCMessage"))
								? security.senderFacts(message) : XpcSecurity.SenderFacts.NONE;
				return new XpcSecurity.Check(true, 0, "", facts.values(), facts.verified());
			}
		}
	}

	/** How the sender was located, when that is weaker than the OS's own per-message identification. */
	String routeNote() {
		return switch (this.setup.mechanism()) {
			case PID_UNSAFE -> "PID route (allow-insecure-pid; racy: the process holding the sender's PID at "
					+ "check time was checked): ";
			case PRIVATE_AUDIT_TOKEN -> "private audit-token route (allow-private-api): ";
			default -> "";
		};
	}

	/** Releases the native requirement objects. */
	void close() {
		Map<String, XpcSecurity.CompiledRequirement> compiledMethods = this.methods;
		this.methods = Map.of();
		compiledMethods.values().forEach(XpcSecurity.CompiledRequirement::close);
		Map<String, XpcSecurity.PeerRequirementObject> methodObjects = this.methodObjects;
		this.methodObjects = Map.of();
		methodObjects.values().forEach(XpcSecurity.PeerRequirementObject::close);
		XpcSecurity.CompiledRequirement compiledRequirement = this.compiled;
		this.compiled = null;
		if (compiledRequirement != null) {
			compiledRequirement.close();
		}
		XpcSecurity.PeerRequirementObject object = this.requirementObject;
		this.requirementObject = null;
		if (object != null) {
			object.close();
		}
	}

}
