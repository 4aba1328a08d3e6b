package dev.peergate.core;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures what the real loggers write: {@code System.Logger} goes to {@code java.util.logging} in plain tests, so a
 * JUL handler on the named logger sees each record as a logging backend would. {@link #text()} renders the records
 * as a backend would print them, one line per message, then the stack trace as {@code printStackTrace} prints it.
 *
 * <pre>{@code
 * try (LogCapture log = LogCapture.of(Dispatcher.class)) {
 *     ...
 *     assertThat(log.text().lines()).noneMatch(line -> line.startsWith("2026-12-07"));
 * }
 * }</pre>
 */
public final class LogCapture extends Handler implements AutoCloseable {

	private final List<Logger> loggers;

	private final List<LogRecord> records = new CopyOnWriteArrayList<>();

	private LogCapture(List<Logger> loggers) {
		this.loggers = loggers;
		setLevel(Level.ALL);
		for (Logger logger : loggers) {
			logger.addHandler(this);
		}
	}

	/** Captures the loggers named after the given classes. */
	public static LogCapture of(Class<?>... classes) {
		List<Logger> loggers = new ArrayList<>();
		for (Class<?> type : classes) {
			loggers.add(Logger.getLogger(type.getName()));
		}
		return new LogCapture(List.copyOf(loggers));
	}

	/** Records captured so far. */
	public List<LogRecord> records() {
		return List.copyOf(this.records);
	}

	/** The captured records as a backend prints them: level and message, then any stack trace. */
	public String text() {
		StringWriter out = new StringWriter();
		PrintWriter writer = new PrintWriter(out);
		for (LogRecord record : this.records) {
			writer.println(record.getLevel() + " " + record.getMessage());
			if (record.getThrown() != null) {
				record.getThrown().printStackTrace(writer);
			}
		}
		writer.flush();
		return out.toString();
	}

	/** Number of records that carry a stack trace. */
	public long stackTraces() {
		return this.records.stream().filter((record) -> record.getThrown() != null).count();
	}

	@Override
	public void publish(LogRecord record) {
		this.records.add(record);
	}

	@Override
	public void flush() {
	}

	@Override
	public void close() {
		for (Logger logger : this.loggers) {
			logger.removeHandler(this);
		}
	}

}
