package dev.peergate.polkit;

import java.util.Map;

import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.annotations.Position;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;

/**
 * The part of {@code org.freedesktop.PolicyKit1.Authority} Peergate calls, as dbus-java maps it: one method and its
 * two structures (see polkit's {@code org.freedesktop.PolicyKit1.Authority.xml}).
 */
@DBusInterfaceName("org.freedesktop.PolicyKit1.Authority")
public interface PolkitAuthorityBus extends DBusInterface {

	/** Bus name of polkitd. */
	String BUS_NAME = "org.freedesktop.PolicyKit1";

	/** Object path of the authority. */
	String OBJECT_PATH = "/org/freedesktop/PolicyKit1/Authority";

	/** {@code AllowUserInteraction}: an authentication agent may ask the user. */
	long ALLOW_USER_INTERACTION = 1;

	/**
	 * {@code CheckAuthorization(subject (sa{sv}), action_id s, details a{ss}, flags u, cancellation_id s)
	 * -> (bba{ss})}.
	 */
	@SuppressWarnings("checkstyle:MethodName")
	AuthorizationResult CheckAuthorization(Subject subject, String actionId, Map<String, String> details, UInt32 flags,
			String cancellationId);

	/** {@code (sa{sv})}: the subject kind and its details. */
	final class Subject extends Struct {

		@Position(0)
		public final String kind;

		@Position(1)
		public final Map<String, Variant<?>> details;

		/** A subject of the given kind, e.g. {@code unix-process}. */
		public Subject(String kind, Map<String, Variant<?>> details) {
			this.kind = kind;
			this.details = details;
		}

		public String getKind() {
			return this.kind;
		}

		public Map<String, Variant<?>> getDetails() {
			return this.details;
		}

	}

	/** {@code (bba{ss})}: authorized, a challenge (authentication would authorize), details. */
	final class AuthorizationResult extends Struct {

		@Position(0)
		public final boolean authorized;

		@Position(1)
		public final boolean challenge;

		@Position(2)
		public final Map<String, String> details;

		/** The result as polkitd sent it. */
		public AuthorizationResult(boolean authorized, boolean challenge, Map<String, String> details) {
			this.authorized = authorized;
			this.challenge = challenge;
			this.details = details;
		}

		public boolean isAuthorized() {
			return this.authorized;
		}

		public boolean isChallenge() {
			return this.challenge;
		}

		public Map<String, String> getDetails() {
			return this.details;
		}

	}

}
