package dev.peergate.autoconfigure;

import java.util.Locale;

import dev.peergate.autoconfigure.PeergateProperties.Listener;
import dev.peergate.autoconfigure.PeergateProperties.Transport;

/** Picks the transport of a listener from its properties and the running OS. */
final class ListenerTransports {

	private ListenerTransports() {
	}

	static boolean isMac() {
		return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("mac");
	}

	static Transport resolve(String name, Listener listener) {
		if (listener.getTransport() != Transport.AUTO) {
			return listener.getTransport();
		}
		if (isMac() && listener.getXpc().getServiceName() != null) {
			return Transport.XPC;
		}
		if (listener.getUnix().getPath() != null) {
			return Transport.UNIX;
		}
		String base = "peergate.listeners." + name;
		throw new ListenerConfigurationException(base, "listener '" + name + "' has no address for this platform ("
				+ System.getProperty("os.name") + ")",
				"Set " + base + ".unix.path (a socket path)" + (isMac() ? " or " + base + ".xpc.service-name" : "")
						+ ", or " + base + ".transport: in-process");
	}

}
