package dev.peergate.xpc.jna;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import dev.peergate.core.FactNames;
import org.jspecify.annotations.Nullable;

/**
 * Per-message peer checks of the {@code observed} enforcement and the facts used to explain a rejection.
 * <ul>
 * <li>macOS 11+: {@code SecCodeCreateWithXPCMessage} + {@code SecCodeCheckValidityWithErrors} against a requirement
 * compiled once with {@code SecRequirementCreateWithStringAndErrors}.</li>
 * <li>macOS 26+: {@code xpc_peer_requirement_create_*} once, {@code xpc_peer_requirement_match_received_message}
 * per message.</li>
 * <li>macOS 10.x, opt-in: the sender's code located with {@code SecCodeCopyGuestWithAttributes} by the message's
 * audit token (private {@code xpc_dictionary_get_audit_token}, {@link #checkByAuditToken}) or by the connection's
 * PID ({@link #checkByPid}, racy), then the same {@code SecCodeCheckValidityWithErrors}.</li>
 * </ul>
 * The OS decides; the facts ({@code SecCodeCopySigningInformation}: identifier, team, cdhash, flags, the
 * certificate chain's subjects, entitlements, Info.plist) only explain.
 *
 * <pre>{@code
 * try (XpcSecurity.CompiledRequirement requirement = security.compile("identifier \"com.example.cli\"")) {
 *     XpcSecurity.Check check = security.check(message, requirement, false);
 * }
 * }</pre>
 */
public final class XpcSecurity {

	/**
	 * Fact: the certificate chain, leaf first, each a map of {@code subject} (attribute → value: {@code CN},
	 * {@code OU}, {@code O}, {@code C}, {@code L}, {@code ST}, ...), {@code sha1} (lower-case hex of the DER) and
	 * {@code extensions} (dotted OIDs present).
	 */
	public static final String CERTIFICATES = FactNames.CERTIFICATES;

	/** Fact: the entitlements dictionary as a map (String, Boolean, Long, byte[], List, Map values). */
	public static final String ENTITLEMENTS = FactNames.ENTITLEMENTS;

	/** Fact: the Info.plist as a map, values as for {@link #ENTITLEMENTS}. */
	public static final String INFO_PLIST = FactNames.INFO_PLIST;

	private final XpcNative nativeXpc;

	private final Map<String, Pointer> guestKeys = new ConcurrentHashMap<>();

	private final Map<String, Pointer> cfSymbols = new ConcurrentHashMap<>();

	private final NativeLibrary securityLibrary;

	private final SigningFacts signingFacts;

	/** A security facade over loaded bindings. */
	public XpcSecurity(XpcNative nativeXpc) {
		this.nativeXpc = nativeXpc;
		this.securityLibrary = NativeLibrary.getInstance(nativeXpc.paths().security());
		this.signingFacts = new SigningFacts(nativeXpc, this.securityLibrary);
	}

	/**
	 * Compiles a code-signing requirement with Security.framework.
	 * @throws IllegalArgumentException with Security's error text when the string is invalid
	 */
	public CompiledRequirement compile(String requirement) {
		CoreFoundation cf = this.nativeXpc.coreFoundation();
		Pointer text = cf.CFStringCreateWithCString(null, requirement, CoreFoundation.UTF8);
		try {
			PointerByReference errors = new PointerByReference();
			PointerByReference compiled = new PointerByReference();
			int status = this.nativeXpc.security().SecRequirementCreateWithStringAndErrors(text, 0, errors, compiled);
			if (status != 0) {
				String detail = (errors.getValue() != null) ? this.nativeXpc.consumeError(errors.getValue())
						: "OSStatus " + status;
				if (compiled.getValue() != null) {
					cf.CFRelease(compiled.getValue());
				}
				throw new IllegalArgumentException(detail);
			}
			return new CompiledRequirement(compiled.getValue());
		}
		finally {
			cf.CFRelease(text);
		}
	}

	/**
	 * Checks the sender of a received message against the requirement; with {@code withFacts} (or on failure)
	 * the sender's signing facts are read too.
	 */
	public Check check(XpcMessage message, CompiledRequirement requirement, boolean withFacts) {
		PointerByReference code = new PointerByReference();
		int status = this.nativeXpc.security().SecCodeCreateWithXPCMessage(message.pointer(), 0, code);
		return validate("SecCodeCreateWithXPCMessage", status, code, requirement, withFacts);
	}

	/**
	 * macOS 10.x with {@code allow-private-api}: the audit token the kernel attached to this message (private
	 * {@code xpc_dictionary_get_audit_token}, the message's token rather than the connection's) locates the sender
	 * with {@code SecCodeCopyGuestWithAttributes({kSecGuestAttributeAudit: token})}; then as {@link #check}. The
	 * token carries the PID version, so a sender that exited no longer resolves, even if its PID was reused.
	 */
	public Check checkByAuditToken(XpcMessage message, CompiledRequirement requirement, boolean withFacts) {
		Memory token = new Memory(LibXpcPrivate.AUDIT_TOKEN_SIZE);
		token.clear();
		this.nativeXpc.privateXpc().xpc_dictionary_get_audit_token(message.pointer(), token);
		CoreFoundation cf = this.nativeXpc.coreFoundation();
		Pointer data = cf.CFDataCreate(null, token, LibXpcPrivate.AUDIT_TOKEN_SIZE);
		if (data == null) {
			return new Check(false, -1, "CFDataCreate failed", Map.of());
		}
		return validateGuest("kSecGuestAttributeAudit", data, "SecCodeCopyGuestWithAttributes (audit token)",
				requirement, withFacts);
	}

	/**
	 * macOS 10.x with {@code allow-insecure-pid}: the PID of the message's connection
	 * ({@code xpc_connection_get_pid}) locates code with
	 * {@code SecCodeCopyGuestWithAttributes({kSecGuestAttributePid: pid})}; then as {@link #check}. Racy by
	 * construction: the sender may have exited and its PID been reused by another program before the lookup, which
	 * is then checked in its place.
	 */
	public Check checkByPid(XpcMessage message, CompiledRequirement requirement, boolean withFacts) {
		Pointer connection = this.nativeXpc.xpc().xpc_dictionary_get_remote_connection(message.pointer());
		if (connection == null) {
			return new Check(false, SecurityFramework.ERR_SEC_CS_NO_SUCH_CODE, "the message has no connection",
					Map.of());
		}
		int pid = this.nativeXpc.xpc().xpc_connection_get_pid(connection);
		Memory value = new Memory(4);
		value.setInt(0, pid);
		CoreFoundation cf = this.nativeXpc.coreFoundation();
		Pointer number = cf.CFNumberCreate(null, CoreFoundation.NUMBER_SINT32, value);
		if (number == null) {
			return new Check(false, -1, "CFNumberCreate failed", Map.of());
		}
		Check check = validateGuest("kSecGuestAttributePid", number, "SecCodeCopyGuestWithAttributes (pid " + pid + ")",
				requirement, withFacts);
		// the PID is all this route knows of the sender: name it in every refusal
		return (check.satisfied() || check.error().contains("(pid " + pid + ")")) ? check
				: new Check(false, check.status(), "code of pid " + pid + ": " + check.error(), check.facts(),
						check.factsVerified());
	}

	/** {@code SecCodeCopyGuestWithAttributes(NULL, {key: value}, kSecCSDefaultFlags, &code)}. */
	/** Locates the guest code by one attribute (released here) and validates it against the requirement. */
	private Check validateGuest(String attributeKey, Pointer attributeValue, String operation,
			CompiledRequirement requirement, boolean withFacts) {
		PointerByReference code = new PointerByReference();
		int status;
		try {
			status = copyGuest(attributeKey, attributeValue, code);
		}
		finally {
			this.nativeXpc.coreFoundation().CFRelease(attributeValue);
		}
		return validate(operation, status, code, requirement, withFacts);
	}

	private int copyGuest(String keySymbol, Pointer value, PointerByReference code) {
		CoreFoundation cf = this.nativeXpc.coreFoundation();
		Memory keys = new Memory(Native.POINTER_SIZE);
		keys.setPointer(0, guestKey(keySymbol));
		Memory values = new Memory(Native.POINTER_SIZE);
		values.setPointer(0, value);
		// struct-valued globals: their address is the argument; the dictionary retains key and value
		Pointer attributes = cf.CFDictionaryCreate(null, keys, values, 1, cfSymbol("kCFTypeDictionaryKeyCallBacks"),
				cfSymbol("kCFTypeDictionaryValueCallBacks"));
		if (attributes == null) {
			return SecurityFramework.ERR_SEC_CS_INVALID_ATTRIBUTE_VALUES;
		}
		try {
			return this.nativeXpc.security().SecCodeCopyGuestWithAttributes(null, attributes, 0, code);
		}
		finally {
			cf.CFRelease(attributes);
		}
	}

	/** The address of a CoreFoundation data symbol, looked up once. */
	private Pointer cfSymbol(String symbol) {
		return this.cfSymbols.computeIfAbsent(symbol, (name) -> NativeLibrary
			.getInstance(this.nativeXpc.paths().coreFoundation())
			.getGlobalVariableAddress(name));
	}

	/** A {@code kSecGuestAttribute*} key: the CFStringRef stored in the exported symbol, read once. */
	private Pointer guestKey(String symbol) {
		return this.guestKeys.computeIfAbsent(symbol,
				(name) -> this.securityLibrary.getGlobalVariableAddress(name).getPointer(0));
	}

	/**
	 * The one verdict path of every per-message code-signing check: the located code (owned, +1) against the
	 * compiled requirement, facts read when asked or on failure, the code released on every path. The facts are
	 * verified when the code passed a validity check: the one against the requirement, or, when only the
	 * requirement failed, one without it.
	 */
	private Check validate(String locator, int status, PointerByReference located, CompiledRequirement requirement,
			boolean withFacts) {
		Pointer code = located.getValue();
		if (status != 0) {
			if (code != null) {
				this.nativeXpc.coreFoundation().CFRelease(code);
			}
			String detail = (status == SecurityFramework.ERR_SEC_CS_NO_SUCH_CODE)
					? " (errSecCSNoSuchCode: no running process matches; the sender is gone)" : "";
			return new Check(false, status, locator + " failed with OSStatus " + status + detail, Map.of());
		}
		if (code == null) {
			return new Check(false, status, locator + " returned no code", Map.of());
		}
		try {
			PointerByReference errors = new PointerByReference();
			int validity = this.nativeXpc.security()
				.SecCodeCheckValidityWithErrors(code, 0, requirement.pointer(), errors);
			String error = (errors.getValue() != null) ? this.nativeXpc.consumeError(errors.getValue()) : "";
			boolean satisfied = validity == 0;
			if (!withFacts && satisfied) {
				return new Check(true, 0, error, Map.of(), false);
			}
			boolean valid = satisfied || (validity == SecurityFramework.ERR_SEC_CS_REQ_FAILED && valid(code));
			return new Check(satisfied, validity, error, this.signingFacts.of(code), valid);
		}
		finally {
			this.nativeXpc.coreFoundation().CFRelease(code);
		}
	}

	/**
	 * SecCode.h: signing information can be trusted only after one of the CheckValidity functions succeeded on the
	 * same code object; {@code SecCodeCheckValidityWithErrors} without a requirement.
	 */
	private boolean valid(Pointer code) {
		return this.nativeXpc.security().SecCodeCheckValidityWithErrors(code, 0, null, null) == 0;
	}

	/**
	 * The signing facts of the sender of a message, verified only when its code passed a validity check; none when
	 * the code cannot be located.
	 */
	public SenderFacts senderFacts(XpcMessage message) {
		PointerByReference located = new PointerByReference();
		int status = this.nativeXpc.security().SecCodeCreateWithXPCMessage(message.pointer(), 0, located);
		Pointer code = located.getValue();
		if (code == null) {
			return SenderFacts.NONE;
		}
		try {
			return (status != 0) ? SenderFacts.NONE : new SenderFacts(this.signingFacts.of(code), valid(code));
		}
		finally {
			this.nativeXpc.coreFoundation().CFRelease(code);
		}
	}

	/**
	 * This process's own signing facts ({@code SecCodeCopySelf}, then {@code SecCodeCopySigningInformation} with
	 * {@code kSecCSSigningInformation}), LWCR names; no {@code team-identifier} when the process is unsigned or
	 * ad-hoc signed.
	 * @throws IllegalStateException with the OSStatus when Security.framework cannot locate this process's code
	 */
	public Map<String, Object> selfFacts() {
		PointerByReference code = new PointerByReference();
		int status = this.nativeXpc.security().SecCodeCopySelf(0, code);
		if (status != 0 || code.getValue() == null) {
			if (code.getValue() != null) {
				this.nativeXpc.coreFoundation().CFRelease(code.getValue());
			}
			throw new IllegalStateException("SecCodeCopySelf failed with OSStatus " + status);
		}
		try {
			return this.signingFacts.of(code.getValue());
		}
		finally {
			this.nativeXpc.coreFoundation().CFRelease(code.getValue());
		}
	}

	/** macOS 26: a requirement object from a lightweight code requirement dictionary. */
	public PeerRequirementObject lightweight(Map<String, ?> lwcr) {
		Pointer dictionary = this.nativeXpc.values().toXpc(lwcr);
		try {
			PointerByReference error = new PointerByReference();
			return created(this.nativeXpc.requirements().xpc_peer_requirement_create_lwcr(dictionary, error), error);
		}
		finally {
			this.nativeXpc.xpc().xpc_release(dictionary);
		}
	}

	/** macOS 26: same team as this process (and the identifier, when given). */
	public PeerRequirementObject teamIdentity(@Nullable String signingIdentifier) {
		PointerByReference error = new PointerByReference();
		return created(this.nativeXpc.requirements().xpc_peer_requirement_create_team_identity(signingIdentifier, error),
				error);
	}

	/** macOS 26: an Apple platform binary (with the identifier, when given). */
	public PeerRequirementObject platformIdentity(@Nullable String signingIdentifier) {
		PointerByReference error = new PointerByReference();
		return created(
				this.nativeXpc.requirements().xpc_peer_requirement_create_platform_identity(signingIdentifier, error),
				error);
	}

	/** macOS 26: the entitlement exists. */
	public PeerRequirementObject entitlementExists(String entitlement) {
		PointerByReference error = new PointerByReference();
		return created(this.nativeXpc.requirements().xpc_peer_requirement_create_entitlement_exists(entitlement, error),
				error);
	}

	/**
	 * macOS 26: the entitlement has this value (bool, string or int64, the types libxpc accepts). The value is
	 * an XPC object only for the call, released on every path.
	 * @throws IllegalArgumentException with libxpc's error when it refuses the value
	 */
	public PeerRequirementObject entitlementMatches(String entitlement, Object value) {
		Pointer object = this.nativeXpc.values().toXpc(value);
		try {
			PointerByReference error = new PointerByReference();
			return created(this.nativeXpc.requirements()
				.xpc_peer_requirement_create_entitlement_matches_value(entitlement, object, error), error);
		}
		finally {
			this.nativeXpc.xpc().xpc_release(object);
		}
	}

	private PeerRequirementObject created(@Nullable Pointer requirement, PointerByReference error) {
		if (requirement == null) {
			throw new IllegalArgumentException(richError(error.getValue()));
		}
		if (error.getValue() != null) {
			this.nativeXpc.xpc().xpc_release(error.getValue());
		}
		return new PeerRequirementObject(requirement);
	}

	/**
	 * The text of a rich error (released here). {@code xpc_rich_error_copy_description} returns
	 * {@code char * _Nullable}: {@code NULL} when libxpc cannot generate a description, which leaves the error's
	 * meaning intact.
	 */
	private String richError(@Nullable Pointer error) {
		if (error == null) {
			return "libxpc gave no error";
		}
		try {
			Pointer description = this.nativeXpc.requirements().xpc_rich_error_copy_description(error);
			return (description != null) ? this.nativeXpc.consumeMallocString(description)
					: "libxpc gave no description of its error";
		}
		finally {
			this.nativeXpc.xpc().xpc_release(error);
		}
	}

	/** macOS 26: whether the sender of the message satisfies the requirement; libxpc's rich error otherwise. */
	public Check match(XpcMessage message, PeerRequirementObject requirement, boolean withFacts) {
		PointerByReference error = new PointerByReference();
		boolean satisfied = this.nativeXpc.requirements()
			.xpc_peer_requirement_match_received_message(requirement.pointer(), message.pointer(), error) != 0;
		String text = satisfied ? "" : richError(error.getValue());
		if (satisfied && error.getValue() != null) {
			this.nativeXpc.xpc().xpc_release(error.getValue());
		}
		boolean factsAvailable = this.nativeXpc.availability().has("SecCodeCreateWithXPCMessage");
		SenderFacts facts = ((withFacts || !satisfied) && factsAvailable) ? senderFacts(message) : SenderFacts.NONE;
		return new Check(satisfied, satisfied ? 0 : -1, text, facts.values(), facts.verified());
	}

	/**
	 * The result of one check.
	 *
	 * @param satisfied whether the OS accepted the sender
	 * @param status OSStatus (0 when satisfied)
	 * @param error the OS's error text, empty when satisfied
	 * @param facts the sender's signing facts (LWCR names), when read
	 * @param factsVerified whether the code the facts were read from passed a validity check
	 */
	public record Check(boolean satisfied, int status, String error, Map<String, Object> facts,
			boolean factsVerified) {

		public Check {
			facts = Map.copyOf(facts);
		}

		/** A check whose facts, if any, are not verified. */
		public Check(boolean satisfied, int status, String error, Map<String, Object> facts) {
			this(satisfied, status, error, facts, false);
		}

	}

	/**
	 * The signing facts of a message's sender.
	 *
	 * @param values the facts (LWCR names), empty when the sender's code could not be located
	 * @param verified whether the code passed a validity check before its signing information was read
	 */
	public record SenderFacts(Map<String, Object> values, boolean verified) {

		/** Nothing could be read. */
		public static final SenderFacts NONE = new SenderFacts(Map.of(), false);

		public SenderFacts {
			values = Map.copyOf(values);
		}

	}

	/** A compiled {@code SecRequirementRef}; {@link #close()} releases it. */
	public final class CompiledRequirement implements AutoCloseable {

		private final OwnedPointer requirement;

		CompiledRequirement(Pointer requirement) {
			this.requirement = new OwnedPointer(requirement,
					(pointer) -> XpcSecurity.this.nativeXpc.coreFoundation().CFRelease(pointer));
		}

		Pointer pointer() {
			return this.requirement.get();
		}

		@Override
		public void close() {
			this.requirement.release();
		}

	}

	/** An {@code xpc_peer_requirement_t} (macOS 26); {@link #close()} releases it. */
	public final class PeerRequirementObject implements AutoCloseable {

		private final OwnedPointer requirement;

		PeerRequirementObject(Pointer requirement) {
			this.requirement = new OwnedPointer(requirement,
					(pointer) -> XpcSecurity.this.nativeXpc.xpc().xpc_release(pointer));
		}

		Pointer pointer() {
			return this.requirement.get();
		}

		@Override
		public void close() {
			this.requirement.release();
		}

	}

	/**
	 * A native requirement object released exactly once, by the function its kind needs ({@code CFRelease} or
	 * {@code xpc_release}); use after release fails instead of handing a freed pointer to native code.
	 */
	private static final class OwnedPointer {

		private final Pointer pointer;

		private final Consumer<Pointer> releaser;

		private final AtomicBoolean closed = new AtomicBoolean();

		OwnedPointer(Pointer pointer, Consumer<Pointer> releaser) {
			this.pointer = pointer;
			this.releaser = releaser;
		}

		Pointer get() {
			if (this.closed.get()) {
				throw new IllegalStateException("Requirement released");
			}
			return this.pointer;
		}

		void release() {
			if (this.closed.compareAndSet(false, true)) {
				this.releaser.accept(this.pointer);
			}
		}

	}

}
