package dev.peergate.autoconfigure;

import java.time.Duration;

/**
 * Range checks of numeric settings: a value out of range fails the start like any listener setting, naming the
 * property and what to write instead, not with a bare exception.
 */
final class SettingChecks {

	private SettingChecks() {
	}

	static int atLeast(int value, int minimum, String property, String example) {
		if (value < minimum) {
			throw new ListenerConfigurationException(property, "is " + value + ", must be at least " + minimum,
					"Set " + property + " to a number such as " + example);
		}
		return value;
	}

	static int between(int value, int minimum, int maximum, String property, String example) {
		if (value < minimum || value > maximum) {
			throw new ListenerConfigurationException(property,
					"is " + value + ", must be between " + minimum + " and " + maximum,
					"Set " + property + " to a number such as " + example);
		}
		return value;
	}

	static Duration notNegative(Duration value, String property, String example) {
		if (value.isNegative()) {
			throw new ListenerConfigurationException(property, "is negative (" + value + ")",
					"Set " + property + " to a duration such as " + example + " (0 turns it off where allowed)");
		}
		return value;
	}

}
