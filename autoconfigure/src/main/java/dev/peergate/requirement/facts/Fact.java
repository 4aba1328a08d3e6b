package dev.peergate.requirement.facts;

import java.util.function.Function;

import dev.peergate.core.PeerCredentials;

/**
 * One fact a requirement can test, such as {@code uid} or {@code team-identifier}: its name, the fact set it
 * belongs to, the type of its value and how its value is read from a peer's captured credentials.
 *
 * <pre>{@code
 * Fact uid = FactSet.LINUX.fact("uid");
 * }</pre>
 */
public final class Fact {

	private final String name;

	private final FactSet factSet;

	private final String description;

	private final ValueType type;

	private final Function<PeerCredentials, Observed> reader;

	Fact(String name, FactSet factSet, String description, ValueType type,
			Function<PeerCredentials, Observed> reader) {
		this.name = name;
		this.factSet = factSet;
		this.description = description;
		this.type = type;
		this.reader = reader;
	}

	/** The fact's key, e.g. {@code executable-sha256}. */
	public String name() {
		return this.name;
	}

	/** The fact set it belongs to. */
	public FactSet factSet() {
		return this.factSet;
	}

	/** One line on what the fact means and what its value looks like. */
	public String description() {
		return this.description;
	}

	ValueType type() {
		return this.type;
	}

	Observed observe(PeerCredentials peer) {
		return this.reader.apply(peer);
	}

	@Override
	public String toString() {
		return this.name;
	}

}
