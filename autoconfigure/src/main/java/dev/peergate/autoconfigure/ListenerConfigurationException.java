package dev.peergate.autoconfigure;

/**
 * A listener configuration Peergate refuses to start with: no requirement for this platform, no address, an
 * invalid value. Carries the property, the problem and what to write instead, which
 * {@link PeergateFailureAnalyzer} prints.
 *
 * <pre>{@code
 * throw new ListenerConfigurationException("peergate.listeners.helper.unix.mode", "'777x' is not an octal file mode",
 *         "Write the mode as three or four octal digits in quotes, e.g. mode: \"0660\"");
 * }</pre>
 */
public class ListenerConfigurationException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	private final String property;

	private final String problem;

	private final String action;

	/**
	 * A configuration error.
	 * @param property the property at fault, e.g. {@code peergate.listeners.helper.requirement}
	 * @param problem what is wrong
	 * @param action what to write instead
	 */
	public ListenerConfigurationException(String property, String problem, String action) {
		super(property + ": " + problem);
		this.property = property;
		this.problem = problem;
		this.action = action;
	}

	/** The property at fault. */
	public String property() {
		return this.property;
	}

	/** What is wrong. */
	public String problem() {
		return this.problem;
	}

	/** What to do. */
	public String action() {
		return this.action;
	}

}
