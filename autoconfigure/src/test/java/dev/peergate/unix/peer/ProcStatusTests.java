package dev.peergate.unix.peer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Parsing {@code /proc/<pid>/status}: this process's real file and fixed samples of what kernels print. */
class ProcStatusTests {

	private static final String SAMPLE = """
			Name:	example-cli
			Umask:	0022
			State:	S (sleeping)
			Pid:	4242
			Uid:	1000	0	1001	0
			Gid:	1000	1000	1000	1000
			Groups:	 
			CapEff:	000001ffffffffff
			NoNewPrivs:	1
			Seccomp:	2
			Seccomp_filters:	3
			""";

	private static ProcStatus parse(String text) {
		return ProcStatus.parse(text, "/proc/4242/status");
	}

	@Test
	void readsTheFactsOfThisProcessFromItsRealStatusFile() throws Exception {
		byte[] content = Files.readAllBytes(Path.of("/proc/self/status"));
		ProcStatus status = ProcStatus.parse(content, "/proc/self/status");
		String uids = lineOf(content, "Uid:");
		String[] fields = uids.split("\t");
		assertThat(status.problems()).isEmpty();
		assertThat(status.values()).containsEntry("real-uid", Long.parseLong(fields[0]))
			.containsEntry("saved-uid", Long.parseLong(fields[2]))
			.containsEntry("no-new-privs", lineOf(content, "NoNewPrivs:").equals("1"))
			.containsEntry("seccomp", Long.parseLong(lineOf(content, "Seccomp:")));
	}

	private static String lineOf(byte[] content, String prefix) {
		return new String(content, StandardCharsets.ISO_8859_1).lines()
			.filter((line) -> line.startsWith(prefix))
			.findFirst()
			.orElseThrow()
			.substring(prefix.length())
			.trim();
	}

	@Test
	void takesRealAndSavedUidFromTheFirstAndThirdUidField() {
		assertThat(parse(SAMPLE).values()).containsEntry("real-uid", 1000L).containsEntry("saved-uid", 1001L);
	}

	@Test
	void readsNoNewPrivsAsBooleanAndSeccompAsItsMode() {
		assertThat(parse(SAMPLE).values()).containsEntry("no-new-privs", true).containsEntry("seccomp", 2L);
		assertThat(parse(SAMPLE.replace("NoNewPrivs:\t1", "NoNewPrivs:\t0").replace("Seccomp:\t2", "Seccomp:\t0"))
			.values()).containsEntry("no-new-privs", false).containsEntry("seccomp", 0L);
	}

	@Test
	void doesNotDependOnTheOrderOfLines() {
		List<String> lines = new ArrayList<>(SAMPLE.lines().toList());
		Collections.reverse(lines);
		String reversed = String.join("\n", lines);
		assertThat(parse(reversed).values()).isEqualTo(parse(SAMPLE).values());
	}

	@Test
	void doesNotTakeSeccompFiltersForSeccomp() {
		ProcStatus status = parse(SAMPLE.replace("Seccomp:\t2\n", ""));
		assertThat(status.values()).doesNotContainKey("seccomp");
		assertThat(status.problems().get("seccomp")).isEqualTo(
				"/proc/4242/status has no 'Seccomp:' line (the kernel is built without seccomp or older than Linux 3.8)");
	}

	@Test
	void reportsAMissingNoNewPrivsLineAsAnOldKernelAndKeepsTheOtherFacts() {
		ProcStatus status = parse(SAMPLE.replace("NoNewPrivs:\t1\n", ""));
		assertThat(status.problems()).containsOnlyKeys("no-new-privs");
		assertThat(status.problems().get("no-new-privs")).contains("no 'NoNewPrivs:' line").contains("Linux 4.10");
		assertThat(status.values()).containsOnlyKeys("real-uid", "saved-uid", "seccomp");
	}

	@Test
	void reportsBothUidFactsWhenTheUidLineIsMissing() {
		ProcStatus status = parse(SAMPLE.replace("Uid:\t1000\t0\t1001\t0\n", ""));
		assertThat(status.problems()).containsOnlyKeys("real-uid", "saved-uid");
		assertThat(status.problems().get("real-uid")).isEqualTo("/proc/4242/status has no 'Uid:' line");
	}

	@Test
	void rejectsMalformedUidLines() {
		for (String uids : new String[] { "1000\t0\t1001", "1000\t0\t1001\t0\t5", "-1\t0\t0\t0", "1000\tx\t0\t0",
				"4294967295\t0\t0\t0", "99999999999\t0\t0\t0", "0x10\t0\t0\t0", "" }) {
			ProcStatus status = parse(SAMPLE.replace("1000\t0\t1001\t0", uids));
			assertThat(status.values()).as(uids).doesNotContainKeys("real-uid", "saved-uid");
			assertThat(status.problems().get("saved-uid")).as(uids)
				.startsWith("malformed 'Uid:' line in /proc/4242/status")
				.endsWith("(expected four uids: real, effective, saved, filesystem)");
		}
	}

	@Test
	void acceptsTheHighestValidUid() {
		assertThat(parse(SAMPLE.replace("1000\t0\t1001\t0", "4294967294\t0\t0\t0")).values())
			.containsEntry("real-uid", 4294967294L);
	}

	@Test
	void rejectsNoNewPrivsAndSeccompValuesOutsideTheirRange() {
		ProcStatus status = parse(SAMPLE.replace("NoNewPrivs:\t1", "NoNewPrivs:\t2").replace("Seccomp:\t2", "Seccomp:\t3"));
		assertThat(status.values()).containsOnlyKeys("real-uid", "saved-uid");
		assertThat(status.problems()).containsEntry("no-new-privs",
				"malformed 'NoNewPrivs:' line in /proc/4242/status: \"2\" (expected 0 or 1)")
			.containsEntry("seccomp", "malformed 'Seccomp:' line in /proc/4242/status: \"3\" (expected 0, 1 or 2)");
	}

	@Test
	void rejectsNumbersWithSignsOrTrailingText() {
		ProcStatus status = parse(SAMPLE.replace("NoNewPrivs:\t1", "NoNewPrivs:\t+1").replace("Seccomp:\t2", "Seccomp:\t2 kB"));
		assertThat(status.values()).doesNotContainKeys("no-new-privs", "seccomp");
		assertThat(status.problems()).containsKeys("no-new-privs", "seccomp");
	}

	@Test
	void refusesARepeatedLineInsteadOfPickingOne() {
		ProcStatus status = parse(SAMPLE + "Uid:\t0\t0\t0\t0\n");
		assertThat(status.values()).doesNotContainKeys("real-uid", "saved-uid");
		assertThat(status.problems().get("real-uid")).isEqualTo("/proc/4242/status has 2 'Uid:' lines");
	}

	@Test
	void showsControlCharactersOfAMalformedValueEscaped() {
		ProcStatus status = parse(SAMPLE.replace("Seccomp:\t2", "Seccomp:\t2\u001b[2J"));
		assertThat(status.problems().get("seccomp")).contains("\"2\\x1b[2J\"");
	}

	@Test
	void readsNothingFromEmptyOrForeignText() {
		for (String text : new String[] { "", "\n\n", "not a status file", "\u0000\u0001:\u0002" }) {
			ProcStatus status = parse(text);
			assertThat(status.values()).as(text).isEmpty();
			assertThat(status.problems()).as(text).containsOnlyKeys("real-uid", "saved-uid", "no-new-privs", "seccomp");
		}
	}

	@Test
	void ignoresArbitraryBytesInTheProcessName() {
		byte[] name = "Name:\tevil\u00ff\u00fe\n".getBytes(StandardCharsets.ISO_8859_1);
		byte[] rest = SAMPLE.substring(SAMPLE.indexOf('\n') + 1).getBytes(StandardCharsets.ISO_8859_1);
		byte[] content = new byte[name.length + rest.length];
		System.arraycopy(name, 0, content, 0, name.length);
		System.arraycopy(rest, 0, content, name.length, rest.length);
		assertThat(ProcStatus.parse(content, "/proc/4242/status").values()).isEqualTo(Map.of("real-uid", 1000L,
				"saved-uid", 1001L, "no-new-privs", true, "seccomp", 2L));
	}

}
