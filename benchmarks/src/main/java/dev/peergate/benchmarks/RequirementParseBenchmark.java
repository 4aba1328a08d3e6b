package dev.peergate.benchmarks;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import dev.peergate.requirement.codesigning.CodeRequirement;
import dev.peergate.requirement.codesigning.CodeRequirements;

/**
 * Parsing and printing a code-signing requirement of about 4 KB: a Developer ID designated requirement that
 * accepts many identifiers and team identifiers, with Info.plist and entitlement clauses, as a large real
 * configuration might hold. Requirements are parsed once at startup, so this bounds startup cost, not a hot path.
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar RequirementParse -f 1 -wi 2 -i 3
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RequirementParseBenchmark {

	private String text = "";

	private CodeRequirement parsed = CodeRequirements.parse("always");

	@Setup
	public void setUp() {
		StringBuilder requirement = new StringBuilder("(");
		for (int i = 0; requirement.length() < 2600; i++) {
			if (i > 0) {
				requirement.append(" or ");
			}
			requirement.append("identifier \"com.example.product").append(i).append(".helper\"");
		}
		requirement.append(") and anchor apple generic")
			.append(" and certificate 1[field.1.2.840.113635.100.6.2.6] /* exists */")
			.append(" and certificate leaf[field.1.2.840.113635.100.6.1.13] /* exists */ and (");
		for (int i = 0; i < 12; i++) {
			if (i > 0) {
				requirement.append(" or ");
			}
			requirement.append("certificate leaf[subject.OU] = \"").append(i).append("ABCDE1234\"");
		}
		requirement.append(") and info[CFBundleShortVersionString] >= \"10.2\"")
			.append(" and ! entitlement[\"com.apple.security.get-task-allow\"] exists")
			.append(" # a comment\n and (notarized or legacy)");
		while (requirement.length() < 4096) {
			requirement.append(" and entitlement[\"com.example.feature").append(requirement.length()).append("\"] absent");
		}
		this.text = requirement.toString();
		this.parsed = CodeRequirements.parse(this.text);
	}

	@Benchmark
	public CodeRequirement parse() {
		return CodeRequirements.parse(this.text);
	}

	@Benchmark
	public String print() {
		return this.parsed.canonical();
	}

	/** Length of the benchmarked requirement, for the report. */
	public static void main(String[] args) {
		RequirementParseBenchmark benchmark = new RequirementParseBenchmark();
		benchmark.setUp();
		System.out.println(benchmark.text.length() + " characters");
	}

}
