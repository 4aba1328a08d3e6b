package dev.peergate.xpc;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import dev.peergate.core.Mechanism;

/**
 * Picks the strongest mechanism macOS offers for a requirement form and an enforcement mode, never a weaker one
 * silently (the table of the architecture, section 5):
 * <table>
 * <caption>Mechanisms</caption>
 * <tr><th>macOS</th><th>form</th><th>observed</th><th>os</th></tr>
 * <tr><td>26+</td><td>lightweight (LWCR, team / platform identity, entitlement exists / matches value)</td><td>{@link Mechanism#XPC_PEER_REQUIREMENT_MATCH}</td>
 * <td>{@link Mechanism#XPC_PEER_REQUIREMENT}</td></tr>
 * <tr><td>14.4+</td><td>lightweight</td><td>refused (needs 26)</td>
 * <td>{@link Mechanism#XPC_LIGHTWEIGHT_CODE_REQUIREMENT}</td></tr>
 * <tr><td>12+</td><td>code signing</td><td>{@link Mechanism#SEC_CODE_XPC_MESSAGE}</td>
 * <td>{@link Mechanism#XPC_CODE_SIGNING_REQUIREMENT}</td></tr>
 * <tr><td>11+</td><td>code signing</td><td>{@link Mechanism#SEC_CODE_XPC_MESSAGE}</td><td>refused (needs 12)</td></tr>
 * <tr><td>10.x</td><td>code signing</td><td>{@link Mechanism#PRIVATE_AUDIT_TOKEN} with {@code allow-private-api};
 * otherwise {@link Mechanism#PID_UNSAFE} with {@code allow-insecure-pid}; otherwise refused</td><td>refused</td></tr>
 * <tr><td>10.x</td><td>lightweight</td><td>refused</td><td>refused</td></tr>
 * </table>
 * Besides the version, every native symbol the mechanism calls must be present (a beta or a stripped system can
 * differ from the table); otherwise the error names the missing symbols.
 * <p>
 * The two flags are consulted only below macOS 11, where no public API identifies the sender of a message: from 11
 * on the table's public mechanism is always chosen, whatever the flags say. The private audit-token route is
 * preferred to the PID route when both are allowed; neither is ever chosen without its flag.
 *
 * <pre>{@code
 * Selection selection = MechanismSelector.select(new Query(MacOsVersion.parse("14.4"),
 *     XpcRequirement.codeSigning("identifier \"com.example.cli\""), Enforcement.OBSERVED, false, false), symbol -> true);
 * selection.mechanism(); // SEC_CODE_XPC_MESSAGE
 * }</pre>
 */
public final class MechanismSelector {

	private MechanismSelector() {
	}

	/**
	 * What to choose for.
	 *
	 * @param version the running macOS
	 * @param requirement the requirement form
	 * @param enforcement observed or os
	 * @param allowPrivateApi whether private libxpc API may be used
	 * @param allowInsecurePid whether a PID-based check may be used
	 */
	public record Query(MacOsVersion version, XpcRequirement requirement, Enforcement enforcement,
			boolean allowPrivateApi, boolean allowInsecurePid) {

	}

	/**
	 * The chosen mechanism and the native symbols it calls.
	 *
	 * @param mechanism the mechanism
	 * @param symbols libxpc / Security symbols it needs
	 */
	public record Selection(Mechanism mechanism, List<String> symbols) {

		public Selection {
			symbols = List.copyOf(symbols);
		}

	}

	/**
	 * Selects the mechanism.
	 * @param query what to choose for
	 * @param symbolPresent whether the running system exports a symbol
	 * @throws MechanismUnavailableException when nothing applies, with the reason and the alternatives
	 */
	public static Selection select(Query query, Predicate<String> symbolPresent) {
		Selection selection = byTable(query);
		List<String> missing = selection.symbols().stream().filter(symbolPresent.negate()).toList();
		if (!missing.isEmpty()) {
			throw new MechanismUnavailableException("macOS " + query.version() + " should offer "
					+ selection.mechanism().tag() + " but this system lacks " + String.join(", ", missing) + ".",
					List.of());
		}
		return selection;
	}

	private static Selection byTable(Query query) {
		MacOsVersion version = query.version();
		XpcRequirement requirement = query.requirement();
		boolean observed = query.enforcement() == Enforcement.OBSERVED;
		if (!requirement.lightweight()) {
			if (observed && version.atLeast(11, 0)) {
				return new Selection(Mechanism.SEC_CODE_XPC_MESSAGE, List.of("SecCodeCreateWithXPCMessage"));
			}
			if (!observed && version.atLeast(12, 0)) {
				return new Selection(Mechanism.XPC_CODE_SIGNING_REQUIREMENT,
						List.of("xpc_connection_set_peer_code_signing_requirement",
								"_xpc_error_peer_code_signing_requirement"));
			}
			List<String> alternatives = new ArrayList<>();
			if (!observed && version.atLeast(11, 0)) {
				alternatives.add("enforcement: observed (SecCodeCreateWithXPCMessage, macOS 11+)");
				throw new MechanismUnavailableException("enforcement: os with a code-signing requirement needs "
						+ "xpc_connection_set_peer_code_signing_requirement (macOS 12+); this is macOS " + version + ".",
						alternatives);
			}
			if (observed && query.allowPrivateApi()) {
				return new Selection(Mechanism.PRIVATE_AUDIT_TOKEN, List.of("xpc_dictionary_get_audit_token",
						"SecCodeCopyGuestWithAttributes", "kSecGuestAttributeAudit"));
			}
			if (observed && query.allowInsecurePid()) {
				return new Selection(Mechanism.PID_UNSAFE,
						List.of("xpc_connection_get_pid", "SecCodeCopyGuestWithAttributes", "kSecGuestAttributePid"));
			}
			throw new MechanismUnavailableException(tooOld(query), legacyAlternatives(query));
		}
		String form = requirement.describe();
		if (version.atLeast(26, 0)) {
			List<String> symbols = new ArrayList<>(List.of(requirement.creatorFunction()));
			if (observed) {
				symbols.add("xpc_peer_requirement_match_received_message");
				symbols.add("xpc_rich_error_copy_description");
				return new Selection(Mechanism.XPC_PEER_REQUIREMENT_MATCH, symbols);
			}
			symbols.add("xpc_connection_set_peer_requirement");
			return new Selection(Mechanism.XPC_PEER_REQUIREMENT, symbols);
		}
		if (version.atLeast(14, 4)) {
			if (!observed) {
				return new Selection(Mechanism.XPC_LIGHTWEIGHT_CODE_REQUIREMENT,
						List.of(requirement.setterFunction(), "_xpc_error_peer_code_signing_requirement"));
			}
			throw new MechanismUnavailableException("enforcement: observed with a lightweight requirement (" + form
					+ ") needs xpc_peer_requirement_match_received_message (macOS 26+); this is macOS " + version
					+ ".", List.of("enforcement: os (libxpc enforces it with the macOS 14.4 setters, rejections are "
							+ "not visible to Peergate)", "a code-signing requirement with enforcement: observed"));
		}
		List<String> alternatives = new ArrayList<>();
		if (version.atLeast(11, 0)) {
			alternatives.add("a code-signing requirement with enforcement: observed (macOS 11+)");
		}
		if (version.atLeast(12, 0)) {
			alternatives.add("a code-signing requirement with enforcement: os (macOS 12+)");
		}
		if (!version.atLeast(11, 0)) {
			throw new MechanismUnavailableException(tooOld(query), legacyAlternatives(query));
		}
		throw new MechanismUnavailableException("A lightweight requirement (" + form + ") needs macOS 14.4 "
				+ "(enforcement: os) or 26 (enforcement: observed); this is macOS " + version + ".", alternatives);
	}

	private static String tooOld(Query query) {
		String flags = "";
		if (query.allowPrivateApi() || query.allowInsecurePid()) {
			// the fallbacks locate the sender's code and check it against a code-signing string, in Peergate
			flags = " allow-private-api and allow-insecure-pid apply only to a code-signing requirement with "
					+ "enforcement: observed; this listener has " + (query.requirement().lightweight()
							? "a lightweight requirement (" + query.requirement().describe() + ")"
							: "enforcement: " + query.enforcement().tag())
					+ ".";
		}
		return "macOS " + query.version() + " has no public API that identifies the sender of an XPC message "
				+ "(SecCodeCreateWithXPCMessage arrived in macOS 11)." + flags;
	}

	private static List<String> legacyAlternatives(Query query) {
		List<String> alternatives = new ArrayList<>();
		String applicable = (query.requirement().lightweight() || query.enforcement() != Enforcement.OBSERVED)
				? "a code-signing requirement with enforcement: observed and " : "";
		alternatives.add(applicable + "allow-private-api: true (private xpc_dictionary_get_audit_token; the sender "
				+ "is located by the message's audit token)");
		alternatives.add(applicable + "allow-insecure-pid: true (the sender is located by PID: racy, a reused PID "
				+ "passes as the sender)");
		alternatives.add("run on macOS 11 or later");
		return alternatives;
	}

}
