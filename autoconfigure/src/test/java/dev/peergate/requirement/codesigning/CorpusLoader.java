package dev.peergate.requirement.codesigning;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads the line-oriented test resources of this package; "⏎" in a resource stands for a line break. */
final class CorpusLoader {

	private CorpusLoader() {
	}

	static List<String> lines(String resource) {
		try (InputStream in = CorpusLoader.class.getResourceAsStream(resource)) {
			if (in == null) {
				throw new IllegalStateException("missing test resource " + resource);
			}
			List<String> lines = new ArrayList<>();
			for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
				if (!line.isBlank() && !line.startsWith("#")) {
					lines.add(line);
				}
			}
			return lines;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static String unescape(String text) {
		return text.replace("⏎", "\n");
	}

	/** One corpus entry: input text and its canonical form. */
	record Entry(String input, String canonical) {

		@Override
		public String toString() {
			return this.input;
		}

	}

	static List<Entry> corpus() {
		List<Entry> entries = new ArrayList<>();
		for (String line : lines("corpus.txt")) {
			if (line.startsWith("in: ")) {
				String input = unescape(line.substring(4));
				entries.add(new Entry(input, input));
			}
			else if (line.startsWith("out: ")) {
				Entry last = entries.remove(entries.size() - 1);
				entries.add(new Entry(last.input(), unescape(line.substring(5))));
			}
			else {
				throw new IllegalStateException("bad corpus line: " + line);
			}
		}
		return entries;
	}

}
