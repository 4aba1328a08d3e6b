package dev.peergate.xpc;

import java.util.Map;

import dev.peergate.core.Evaluation;
import dev.peergate.core.Mechanism;
import dev.peergate.core.PeerCredentials;
import dev.peergate.core.PeerRequirement;
import dev.peergate.core.Reason;
import dev.peergate.requirement.InvalidRequirementException;
import dev.peergate.requirement.codesigning.CodeRequirement;
import dev.peergate.requirement.codesigning.CodeRequirements;
import dev.peergate.xpc.jna.XpcNative;
import dev.peergate.xpc.jna.XpcSecurity;

/**
 * Everything an XPC listener settles before it exists: the native libraries, the macOS version, the requirement
 * ({@code same-team} resolved from this process's own signature), how rejections are explained and the mechanism
 * this macOS offers for it. Whoever builds the listener's {@code Gate} takes the mechanism and
 * {@link #gateRequirement()} from here.
 *
 * <pre>{@code
 * XpcListenerSetup setup = XpcListenerSetup.prepare(options);
 * Gate gate = new Gate(options.name(), setup.mechanism(), setup.gateRequirement(), sink);
 * XpcListener listener = new XpcListener(setup, gate, dispatcher, events);
 * }</pre>
 *
 * @param options the listener's options
 * @param nativeXpc libxpc and Security.framework
 * @param security Security.framework calls
 * @param version the running macOS
 * @param requirement the requirement peers are checked against
 * @param explainer how rejections are explained
 * @param mechanism the mechanism chosen for this macOS
 */
public record XpcListenerSetup(XpcListenerOptions options, XpcNative nativeXpc, XpcSecurity security,
		MacOsVersion version, XpcRequirement requirement, RejectionExplainer explainer, Mechanism mechanism) {

	/**
	 * Loads the native libraries, reads the macOS version, resolves {@link XpcRequirement.SameTeam} and selects
	 * the mechanism.
	 * @throws MechanismUnavailableException when this macOS cannot enforce the requirement as configured
	 * @throws SameTeamUnavailableException when {@code SameTeam} is asked for but this process has no team
	 */
	public static XpcListenerSetup prepare(XpcListenerOptions options) {
		XpcNative nativeXpc = XpcNative.load(options.libraries());
		XpcSecurity security = new XpcSecurity(nativeXpc);
		MacOsVersion version = MacOsVersion.parse(nativeXpc.productVersion()
			.orElseThrow(() -> new IllegalStateException("Cannot read kern.osproductversion")));
		XpcRequirement requirement = options.requirement();
		RejectionExplainer explainer = options.explainer();
		if (requirement instanceof XpcRequirement.SameTeam) {
			CodeRequirement own = sameTeamRequirement(security);
			requirement = XpcRequirement.codeSigning(own.canonical());
			// the default explainer only summarises; the requirement built here can be explained clause by clause
			if (explainer instanceof RejectionExplainer.FactsSummary) {
				explainer = new ClauseRejectionExplainer(own);
			}
		}
		Mechanism mechanism = MechanismSelector.select(new MechanismSelector.Query(version, requirement,
				options.enforcement(), options.allowPrivateApi(), options.allowInsecurePid()),
				nativeXpc.availability()::has)
			.mechanism();
		return new XpcListenerSetup(options, nativeXpc, security, version, requirement, explainer, mechanism);
	}

	/**
	 * The gate's requirement: the OS decides about each message, and the listener hands that decision to the gate
	 * ({@code Gate.decide(credentials, evaluation)}). Asked to decide by itself, it refuses: fail closed.
	 */
	public PeerRequirement gateRequirement() {
		String description = this.requirement.describe();
		return new PeerRequirement() {

			@Override
			public Evaluation evaluate(PeerCredentials peer) {
				return Evaluation.unsatisfied(Reason.VERIFICATION_FAILED,
						"the OS decides about XPC peers per message; no decision was handed over for this peer");
			}

			@Override
			public String describe() {
				return description;
			}

		};
	}

	/**
	 * {@code same-team}: the team of this process's own signature as the code-signing requirement
	 * {@code anchor apple generic and certificate leaf[subject.OU] = <team>}, in canonical form. A code-signing
	 * string rather than libxpc's team identity: it works from macOS 11 ({@code observed}) and 12 ({@code os}) where
	 * team identity needs 14.4 / 26, and its rejections are explained clause by clause.
	 */
	static CodeRequirement sameTeamRequirement(XpcSecurity security) {
		String property = "requirement.same-team";
		String action = "Sign this program with a Developer ID (or Apple Development) certificate of your team, or "
				+ "replace same-team with an explicit requirement, e.g. code-signing: 'anchor apple generic and "
				+ "certificate leaf[subject.OU] = \"<your team id>\"'.";
		Map<String, Object> self;
		try {
			self = security.selfFacts();
		}
		catch (IllegalStateException ex) {
			throw new SameTeamUnavailableException(property + " needs this process's team identifier, but its code "
					+ "could not be read (" + ex.getMessage() + ").", action);
		}
		Object team = self.get("team-identifier");
		if (!(team instanceof String text) || text.isBlank()) {
			Object identifier = self.get("signing-identifier");
			throw new SameTeamUnavailableException(property + " needs this process's team identifier, but its "
					+ "signature has none: it is unsigned or ad-hoc signed ("
					+ ((identifier != null) ? "signing identifier " + identifier : "no signing identifier") + ").",
					action);
		}
		StringBuilder quoted = new StringBuilder("\"");
		for (char c : text.toCharArray()) {
			if (c == '"' || c == '\\') {
				quoted.append('\\');
			}
			quoted.append(c);
		}
		quoted.append('"');
		try {
			return CodeRequirements.parse("anchor apple generic and certificate leaf[subject.OU] = " + quoted);
		}
		catch (InvalidRequirementException ex) {
			throw new SameTeamUnavailableException(property + " cannot use this process's team identifier "
					+ quoted + " in a requirement: " + ex.getMessage(), action);
		}
	}

}
