package dev.peergate.xpc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.peergate.requirement.codesigning.CodeRequirement;
import dev.peergate.requirement.codesigning.RequirementExplainer;
import dev.peergate.requirement.codesigning.SigningFacts;
import dev.peergate.requirement.codesigning.SigningFacts.CertificateFacts;
import org.jspecify.annotations.Nullable;

/**
 * Explains a refused XPC peer clause by clause: the peer's signing facts (as {@code SecCodeCopySigningInformation}
 * reported them: identifier, team, cdhash, platform, the certificate chain's subjects, SHA-1s and extension OIDs,
 * the entitlements and the Info.plist) are run through {@link RequirementExplainer} against the parsed code-signing requirement, and
 * the first failing clause leads the explanation, e.g.
 * {@code identifier: expected "com.example.cli", peer has "com.evil.tool"}. The OS's own error text and the facts
 * summary follow. The decision stays the OS's; this only tells an operator why.
 *
 * <pre>{@code
 * XpcListenerOptions options = XpcListenerOptions.of("helper", "com.example.helper", XpcRequirement.codeSigning(text))
 *     .withExplainer(new ClauseRejectionExplainer(CodeRequirements.parse(text)));
 * }</pre>
 */
public final class ClauseRejectionExplainer implements RejectionExplainer {

	private final CodeRequirement requirement;

	/** An explainer for the given parsed requirement. */
	public ClauseRejectionExplainer(CodeRequirement requirement) {
		this.requirement = requirement;
	}

	@Override
	public String explain(String requirement, Map<String, Object> peerFacts, String osError) {
		return ClausesFirst.explain(requirement, peerFacts, osError,
				facts -> RequirementExplainer.explain(this.requirement, signingFacts(facts)).summary());
	}

	static SigningFacts signingFacts(Map<String, Object> facts) {
		return new SigningFacts(text(facts.get("signing-identifier")), text(facts.get("team-identifier")),
				text(facts.get("cdhash")), chain(facts.get("certificates")), map(facts.get("entitlements")),
				map(facts.get("info-plist")), platform(facts.get("platform-identifier")), Map.of());
	}

	/**
	 * The {@code certificates} fact (leaf first: {@code subject}, {@code sha1}, {@code extensions}) as the
	 * explainer's chain. Policies, date extensions and trust are not read from the peer, so clauses on them stay
	 * undecided.
	 */
	private static List<CertificateFacts> chain(@Nullable Object certificates) {
		if (!(certificates instanceof List<?> list)) {
			return List.of();
		}
		List<CertificateFacts> chain = new ArrayList<>();
		for (Object element : list) {
			Map<?, ?> certificate = (element instanceof Map<?, ?> map) ? map : Map.of();
			Map<String, String> subject = new LinkedHashMap<>();
			if (certificate.get("subject") instanceof Map<?, ?> attributes) {
				attributes.forEach((name, value) -> {
					if (name instanceof String key && value instanceof String text) {
						subject.put(key, text);
					}
				});
			}
			Set<String> extensions = new LinkedHashSet<>();
			if (certificate.get("extensions") instanceof List<?> oids) {
				oids.forEach((oid) -> {
					if (oid instanceof String text) {
						extensions.add(text);
					}
				});
			}
			chain.add(new CertificateFacts(subject, extensions, Set.of(), Map.of(), text(certificate.get("sha1")),
					null));
		}
		return chain;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(@Nullable Object value) {
		if (!(value instanceof Map<?, ?> map)) {
			return Map.of();
		}
		Map<String, Object> copy = new LinkedHashMap<>();
		((Map<Object, Object>) map).forEach((key, element) -> {
			if (key instanceof String name && element != null) {
				copy.put(name, element);
			}
		});
		return copy;
	}

	private static @Nullable String text(@Nullable Object value) {
		return (value != null) ? value.toString() : null;
	}

	private static @Nullable Integer platform(@Nullable Object value) {
		return (value instanceof Number number && number.intValue() != 0) ? number.intValue() : null;
	}

}
