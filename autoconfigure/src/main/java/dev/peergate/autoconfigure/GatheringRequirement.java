package dev.peergate.autoconfigure;

import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import dev.peergate.core.Evaluation;
import dev.peergate.core.PeerCredentials;
import dev.peergate.core.PeerRequirement;

/**
 * A listener's requirement that also asks the inspector for the facts its methods' requirements read: those are
 * then verified once, when the peer connects, through the pidfd like any other, and a method requirement evaluates
 * them on each call. Evaluation and description are the listener requirement's own.
 */
final class GatheringRequirement implements PeerRequirement {

	private final PeerRequirement requirement;

	private final Optional<Set<String>> needed;

	private GatheringRequirement(PeerRequirement requirement, Optional<Set<String>> needed) {
		this.requirement = requirement;
		this.needed = needed;
	}

	/** {@code requirement} itself when there are no method requirements. */
	static PeerRequirement of(PeerRequirement requirement, Collection<PeerRequirement> methods) {
		if (methods.isEmpty()) {
			return requirement;
		}
		Optional<Set<String>> own = requirement.neededFacts();
		if (own.isEmpty()) {
			return requirement; // it gathers everything already
		}
		Set<String> needed = new TreeSet<>(own.get());
		for (PeerRequirement method : methods) {
			Optional<Set<String>> facts = method.neededFacts();
			if (facts.isEmpty()) {
				return new GatheringRequirement(requirement, Optional.empty());
			}
			needed.addAll(facts.get());
		}
		return new GatheringRequirement(requirement, Optional.of(Set.copyOf(needed)));
	}

	@Override
	public Evaluation evaluate(PeerCredentials peer) {
		return this.requirement.evaluate(peer);
	}

	@Override
	public String describe() {
		return this.requirement.describe();
	}

	@Override
	public Optional<Set<String>> neededFacts() {
		return this.needed;
	}

	@Override
	public boolean evaluatesInMemory() {
		return this.requirement.evaluatesInMemory();
	}

}
