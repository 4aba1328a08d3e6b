package dev.peergate.autoconfigure;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import dev.peergate.autoconfigure.PeergateProperties.Listener;
import dev.peergate.autoconfigure.PeergateProperties.Requirement;
import dev.peergate.core.Mechanism;
import dev.peergate.core.PeerRequirement;
import dev.peergate.requirement.InvalidRequirementException;
import dev.peergate.requirement.codesigning.CodeRequirement;
import dev.peergate.requirement.codesigning.CodeRequirements;
import dev.peergate.requirement.codesigning.ParsedRequirement;
import dev.peergate.requirement.facts.FactRequirements;
import dev.peergate.requirement.facts.FactSet;
import dev.peergate.requirement.facts.IdResolver;
import dev.peergate.requirement.facts.LightweightRequirement;
import dev.peergate.requirement.facts.LinuxRequirement;
import dev.peergate.requirement.facts.LinuxRequirements;
import dev.peergate.xpc.ClauseRejectionExplainer;
import dev.peergate.xpc.Enforcement;
import dev.peergate.xpc.LightweightRejectionExplainer;
import dev.peergate.xpc.XpcListenerOptions;
import dev.peergate.xpc.XpcRequirement;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Reads and validates every requirement of a listener, on every OS, and picks the one its transport evaluates.
 * A requirement that does not parse stops the application, even when it is for the other OS: a typo must not
 * wait for the day the application is deployed there. Every configuration that would leave a listener open by
 * accident is refused.
 */
final class ListenerRequirements {

	private static final Log logger = LogFactory.getLog(ListenerRequirements.class);

	private final String name;

	private final String base;

	/** What the requirement is of, in messages: {@code listener 'helper'}, {@code method X of listener 'helper'}. */
	private final String subject;

	private final Requirement properties;

	private final @Nullable ParsedRequirement codeSigning;

	private final @Nullable LightweightRequirement lightweight;

	private final @Nullable LinuxRequirement linux;

	private final @Nullable XpcRequirement entitlement;

	private ListenerRequirements(String name, String base, String subject, Requirement properties,
			@Nullable ParsedRequirement codeSigning, @Nullable LightweightRequirement lightweight,
			@Nullable LinuxRequirement linux, @Nullable XpcRequirement entitlement) {
		this.name = name;
		this.base = base;
		this.subject = subject;
		this.properties = properties;
		this.codeSigning = codeSigning;
		this.lightweight = lightweight;
		this.linux = linux;
		this.entitlement = entitlement;
	}

	/**
	 * Parses every requirement configured for the listener.
	 * @throws InvalidRequirementException naming the property of the first invalid requirement
	 */
	static ListenerRequirements read(String name, Listener listener, ConfigurableEnvironment environment,
			IdResolver ids) {
		return read(name, "peergate.listeners." + name + ".requirement", "listener '" + name + "'",
				listener.getRequirement(), environment, ids);
	}

	/**
	 * Parses the requirement of one method of a listener, at
	 * {@code peergate.listeners.<name>.methods[<method>].requirement}.
	 * @throws InvalidRequirementException naming the property of the first invalid requirement
	 */
	static ListenerRequirements readMethod(String name, String method, PeergateProperties.Method settings,
			ConfigurableEnvironment environment, IdResolver ids) {
		return read(name, "peergate.listeners." + name + ".methods[" + method + "].requirement",
				"method " + method + " of listener '" + name + "'", settings.getRequirement(), environment, ids);
	}

	/**
	 * Parses the server requirement of a configured client, at {@code peergate.clients.<client>.server-requirement}.
	 * @throws InvalidRequirementException naming the property of the first invalid requirement
	 */
	static ListenerRequirements readServer(String client, Requirement requirement, ConfigurableEnvironment environment,
			IdResolver ids) {
		return read(client, "peergate.clients." + client + ".server-requirement", "client '" + client + "'",
				requirement, environment, ids);
	}

	private static ListenerRequirements read(String name, String base, String subject, Requirement requirement,
			ConfigurableEnvironment environment, IdResolver ids) {
		ParsedRequirement codeSigning = null;
		if (requirement.getCodeSigning() != null && !requirement.getCodeSigning().isBlank()) {
			try {
				codeSigning = CodeRequirements.parseAny(requirement.getCodeSigning());
			}
			catch (InvalidRequirementException ex) {
				throw ex.atProperty(base + ".code-signing");
			}
		}
		Map<String, Object> lightweightTree = RequirementTrees.read(environment, base + ".lightweight",
				FactSet.LIGHTWEIGHT.facts().keySet());
		LightweightRequirement lightweight = lightweightTree.isEmpty() ? null
				: FactRequirements.lightweight(lightweightTree, base + ".lightweight");
		Map<String, Object> linuxTree = RequirementTrees.read(environment, base + ".linux",
				FactSet.LINUX.facts().keySet());
		LinuxRequirement linux = linuxTree.isEmpty() ? null : FactRequirements.linux(linuxTree, base + ".linux", ids);
		XpcRequirement entitlement = entitlement(base, requirement, environment);
		return new ListenerRequirements(name, base, subject, requirement, codeSigning, lightweight, linux, entitlement);
	}

	/**
	 * The entitlement form: {@code entitlement} alone requires the entitlement to exist, with
	 * {@code entitlement-value} to have that value. The value is bound as whatever the source holds, so its type is
	 * checked here: libxpc matches only bool, string and int64, and anything else is refused rather than converted.
	 */
	private static @Nullable XpcRequirement entitlement(String base, Requirement requirement,
			ConfigurableEnvironment environment) {
		String valueProperty = base + ".entitlement-value";
		String expected = "Give one bool (true), string (gold) or integer within int64 (3); the peer's entitlement "
				+ "must have the same type and value";
		String entitlement = requirement.getEntitlement();
		Object value = requirement.getEntitlementValue();
		if (value instanceof String text && text.isEmpty()) {
			value = null;
		}
		if (value == null && isAggregate(environment, valueProperty)) {
			// the binder leaves an Object unbound for a list or a map: without this the value would silently vanish
			// and the requirement weaken to 'the entitlement exists'
			throw new ListenerConfigurationException(valueProperty,
					"is a list or a map, but libxpc matches an entitlement against one bool, string or int64",
					expected);
		}
		if (entitlement == null || entitlement.isBlank()) {
			if (value != null) {
				throw new ListenerConfigurationException(valueProperty,
						"is set, but " + base + ".entitlement (the entitlement it is the value of) is not",
						"Set " + base + ".entitlement, e.g. com.example.helper.client, or remove entitlement-value");
			}
			return null;
		}
		String name = entitlement.strip();
		if (name.indexOf('\0') >= 0) {
			throw new ListenerConfigurationException(base + ".entitlement", "contains a NUL character",
					"Write the entitlement name, e.g. com.example.helper.client");
		}
		if (value == null) {
			return XpcRequirement.entitlementExists(name);
		}
		String problem = unsupported(value);
		if (problem != null) {
			throw new ListenerConfigurationException(valueProperty, problem, expected);
		}
		if (value instanceof String text && (text.equals("true") || text.equals("false") || text.matches("-?\\d+"))) {
			logger.warn(valueProperty + " is the string \"" + text + "\": it matches only a string entitlement. "
					+ "Properties files and environment variables hold strings; to require a bool or an integer, "
					+ "write it unquoted in YAML");
		}
		return XpcRequirement.entitlementMatches(name, value);
	}

	/** Why a bound value cannot be an XPC entitlement value, or {@code null} when it can. */
	private static @Nullable String unsupported(Object value) {
		if (value instanceof String text && text.indexOf('\0') >= 0) {
			// an XPC string ends at the first NUL: libxpc would compare a shorter value
			return "contains a NUL character, which an XPC string cannot hold";
		}
		if (value instanceof Boolean || value instanceof String || value instanceof Long || value instanceof Integer
				|| value instanceof Short || value instanceof Byte) {
			return null;
		}
		if (value instanceof BigInteger big) {
			return (big.bitLength() < 64) ? null
					: "is " + big + ", outside int64 (" + Long.MIN_VALUE + " to " + Long.MAX_VALUE + ")";
		}
		if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
			return "is " + value + ", a decimal number; libxpc matches an entitlement against a bool, a string or an "
					+ "int64";
		}
		if (value instanceof Map || value instanceof Collection) {
			return "is a list or a map, but libxpc matches an entitlement against one bool, string or int64";
		}
		return "is " + value + " (" + value.getClass().getSimpleName()
				+ "); libxpc matches an entitlement against a bool, a string or an int64";
	}

	/**
	 * Whether the property is given as a list or a map, through the binder's own name mapping (so also as
	 * indexed environment variables).
	 */
	private static boolean isAggregate(ConfigurableEnvironment environment, String property) {
		Binder binder = Binder.get(environment);
		return binder.bind(property, Bindable.listOf(Object.class)).isBound()
				|| binder.bind(property, Bindable.mapOf(String.class, Object.class)).isBound();
	}

	/** The code-signing requirement, parsed, or {@code null}. */
	@Nullable ParsedRequirement codeSigning() {
		return this.codeSigning;
	}

	/** The lightweight code requirement, or {@code null}. */
	@Nullable LightweightRequirement lightweight() {
		return this.lightweight;
	}

	/**
	 * The code-signing requirement of a method of an XPC listener, canonical: XPC checks each message against it.
	 * {@code linux} may be set beside it for the same configuration on Linux; other forms are refused.
	 */
	XpcRequirement methodXpcRequirement() {
		if (this.entitlement != null || this.properties.isSameTeam() || this.properties.isSameUser()
				|| (this.lightweight != null && this.codeSigning != null)) {
			throw new ListenerConfigurationException(this.base, "on an xpc listener, a method requirement is one "
					+ "code-signing or one lightweight requirement (entitlement, same-team and same-user are listener "
					+ "forms)", "Write " + this.base + ".code-signing, e.g. 'identifier \"com.example.admin\" and anchor "
							+ "apple generic', or " + this.base + ".lightweight (macOS 26)");
		}
		if (this.lightweight != null) {
			return XpcRequirement.lightweight(this.lightweight.toNeutralTree());
		}
		if (!(this.codeSigning instanceof CodeRequirement requirement)) {
			throw new ListenerConfigurationException(this.base + ".code-signing", (this.codeSigning == null)
					? this.subject + " has no code-signing requirement for XPC peers"
					: "a requirement set (designated => ...) names several requirements; a method needs one",
					"Write the single requirement callers of the method must satisfy");
		}
		return XpcRequirement.codeSigning(requirement.canonical());
	}

	/** Whether nothing is configured: no requirement form and no shortcut. */
	boolean isEmpty() {
		return this.codeSigning == null && this.lightweight == null && this.linux == null && this.entitlement == null
				&& !this.properties.isSameUser() && !this.properties.isSameTeam() && !this.properties.isAllowAnyPeer();
	}

	/**
	 * The requirement of a transport that identifies peers by their Unix credentials and process facts
	 * ({@code unix}, {@code in-process}).
	 * @param mechanism the transport's mechanism when a requirement applies
	 */
	Resolved forCredentials(Mechanism mechanism, long ownUid) {
		List<String> given = new ArrayList<>();
		if (this.linux != null) {
			given.add("linux");
		}
		if (this.properties.isSameUser()) {
			given.add("same-user");
		}
		if (this.properties.isAllowAnyPeer()) {
			if (!given.isEmpty()) {
				throw new ListenerConfigurationException(this.base + ".allow-any-peer",
						"allow-any-peer is set together with " + String.join(" and ", given),
						"Remove allow-any-peer to enforce the requirement, or remove the requirement to accept any peer");
			}
			return new Resolved(PeerRequirement.anyPeer(), Mechanism.NONE);
		}
		if (given.isEmpty()) {
			String macOnly = (this.codeSigning != null || this.lightweight != null || this.properties.isSameTeam()
					|| this.entitlement != null)
							? " (code-signing, lightweight, same-team and entitlement apply to XPC peers on macOS only)"
							: "";
			throw new ListenerConfigurationException(this.base,
					this.subject + " has no requirement for peers identified by Unix credentials"
							+ macOnly + ", so it would accept any local process",
					"Set " + this.base + ".linux (for example linux: { uid: { $in: [1000] } }) or " + this.base
							+ ".same-user: true. To accept every local peer deliberately, set " + this.base
							+ ".allow-any-peer: true");
		}
		if (given.size() > 1) {
			throw new ListenerConfigurationException(this.base, "both " + String.join(" and ", given) + " are set",
					"Keep one: same-user: true is the shortcut for linux: { uid: " + ownUid + " }");
		}
		if (this.codeSigning != null || this.lightweight != null || this.entitlement != null) {
			logger.info("Peergate " + this.subject + ": requirement.code-signing/lightweight/entitlement are valid and "
					+ "apply to XPC peers on macOS; this listener evaluates requirement."
					+ (this.linux != null ? "linux" : "same-user"));
		}
		PeerRequirement requirement = (this.linux != null) ? this.linux : LinuxRequirements.sameUser(ownUid);
		return new Resolved(requirement, mechanism);
	}

	/**
	 * The options of an XPC listener: its requirement in the form macOS checks, with a clause-by-clause explainer
	 * for code-signing and lightweight requirements; {@code same-team} is resolved by the listener itself from
	 * this process's signature.
	 */
	XpcListenerOptions forXpc(String serviceName, PeergateProperties.Enforcement enforcement) {
		if (this.properties.isAllowAnyPeer()) {
			throw new ListenerConfigurationException(this.base + ".allow-any-peer",
					"the xpc transport always has libxpc or Security.framework check the peer, so it cannot accept any peer",
					"Write the requirement your clients satisfy, e.g. code-signing: 'anchor apple generic and "
							+ "certificate leaf[subject.OU] = \"<your team id>\"'");
		}
		if (this.properties.isSameUser()) {
			throw new ListenerConfigurationException(this.base + ".same-user",
					"XPC peers are identified by code signature, not by user",
					"Use same-team: true, or a code-signing or lightweight requirement");
		}
		if (this.entitlement != null) {
			List<String> others = new ArrayList<>();
			if (this.codeSigning != null) {
				others.add(this.base + ".code-signing");
			}
			if (this.lightweight != null) {
				others.add(this.base + ".lightweight");
			}
			if (this.properties.isSameTeam()) {
				others.add(this.base + ".same-team");
			}
			if (!others.isEmpty()) {
				throw new ListenerConfigurationException(this.base + ".entitlement",
						this.base + ".entitlement is set together with " + String.join(" and ", others)
								+ "; libxpc takes one peer requirement per connection",
						"Keep one. To require a team and an entitlement together, write both into lightweight "
								+ "(team-identifier and entitlements: { $query: ... }) or code-signing "
								+ "(... and entitlement[\"com.example.helper.client\"] exists)");
			}
			return XpcListenerOptions.of(this.name, serviceName, this.entitlement)
				.withEnforcement((enforcement == PeergateProperties.Enforcement.OS) ? Enforcement.OS : Enforcement.OBSERVED)
				.withFallbacks(this.properties.isAllowPrivateApi(), this.properties.isAllowInsecurePid());
		}
		if (this.properties.isSameTeam()) {
			if (this.codeSigning != null || this.lightweight != null) {
				throw new ListenerConfigurationException(this.base + ".same-team",
						"same-team is set together with a code-signing or lightweight requirement",
						"Keep one: same-team: true, or write the team into the requirement");
			}
			// resolved at listener start from this process's own signature into a code-signing requirement
			return XpcListenerOptions.of(this.name, serviceName, XpcRequirement.sameTeam())
				.withEnforcement((enforcement == PeergateProperties.Enforcement.OS) ? Enforcement.OS : Enforcement.OBSERVED)
				.withFallbacks(this.properties.isAllowPrivateApi(), this.properties.isAllowInsecurePid());
		}
		if (this.codeSigning != null && this.lightweight != null) {
			throw new ListenerConfigurationException(this.base,
					"both code-signing and lightweight are set for an xpc listener",
					"Keep one: code-signing works from macOS 11, lightweight needs macOS 14.4 (os) or 26 (observed)");
		}
		XpcListenerOptions options;
		if (this.codeSigning instanceof CodeRequirement requirement) {
			options = XpcListenerOptions.of(this.name, serviceName, XpcRequirement.codeSigning(requirement.canonical()))
				.withExplainer(new ClauseRejectionExplainer(requirement));
		}
		else if (this.codeSigning != null) {
			throw new ListenerConfigurationException(this.base + ".code-signing",
					"a requirement set (designated => ...) names several requirements; a listener needs one",
					"Write the single requirement peers must satisfy, without 'designated =>'");
		}
		else if (this.lightweight != null) {
			options = XpcListenerOptions.of(this.name, serviceName, XpcRequirement.lightweight(this.lightweight.toNeutralTree()))
				.withExplainer(new LightweightRejectionExplainer(this.lightweight));
		}
		else {
			throw new ListenerConfigurationException(this.base,
					this.subject + " has no requirement for XPC peers, so it would accept any process",
					"Set " + this.base + ".code-signing (for example 'anchor apple generic and certificate "
							+ "leaf[subject.OU] = \"ABCDE12345\"') or " + this.base + ".lightweight "
							+ "(for example { team-identifier: ABCDE12345 }) or " + this.base + ".entitlement");
		}
		return options
			.withEnforcement((enforcement == PeergateProperties.Enforcement.OS) ? Enforcement.OS : Enforcement.OBSERVED)
			.withFallbacks(this.properties.isAllowPrivateApi(), this.properties.isAllowInsecurePid());
	}

	/** A requirement ready for a gate, with the mechanism that evaluates it. */
	record Resolved(PeerRequirement requirement, Mechanism mechanism) {
	}

}
