package dev.peergate.requirement.codesigning;

/**
 * What requirement text can denote: a single {@link CodeRequirement} or a {@link RequirementSet}
 * ({@code designated => …; host => …}).
 *
 * <pre>{@code
 * ParsedRequirement parsed = CodeRequirements.parseAny(text);
 * System.out.println(parsed.canonical());
 * }</pre>
 */
public sealed interface ParsedRequirement permits CodeRequirement, RequirementSet {

	/** The text Apple's dumper ({@code codesign -d -r-}) would print for this requirement. */
	String canonical();

}
