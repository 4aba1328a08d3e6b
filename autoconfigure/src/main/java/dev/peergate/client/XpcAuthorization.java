package dev.peergate.client;

import dev.peergate.xpc.jna.AuthorizationServices.ClientAuthorization;
import dev.peergate.xpc.jna.AuthorizationServices;
import dev.peergate.xpc.jna.NativeLibraries;
import dev.peergate.xpc.jna.XpcNative;

/**
 * An authorization of this process's user (Authorization Services) that an {@link XpcClient} sends with each call,
 * for helper methods that require an authorization right. Create one per app session and close it at the end:
 * closing ends it for the helper too.
 *
 * <pre>{@code
 * try (XpcAuthorization authorization = XpcAuthorization.create();
 *         XpcClient client = XpcClient.connect(XpcClient.Options.of("com.example.helper")
 *             .withAuthorization(authorization, true))) {
 *     authorization.preauthorize("com.example.helper.install"); // the dialog, if any, shows in the app
 *     client.call("com.example.helper.Install", Map.of("package", "tool"));
 * }
 * }</pre>
 */
public final class XpcAuthorization implements AutoCloseable {

	private final ClientAuthorization authorization;

	private XpcAuthorization(ClientAuthorization authorization) {
		this.authorization = authorization;
	}

	/** A new authorization of this process's user, through the system's Security.framework. */
	public static XpcAuthorization create() {
		return create(NativeLibraries.fromSystemProperties());
	}

	/** A new authorization through these native libraries. */
	public static XpcAuthorization create(NativeLibraries libraries) {
		return new XpcAuthorization(AuthorizationServices.of(XpcNative.load(libraries)).create());
	}

	/**
	 * Asks for {@code right} now, so that an authentication dialog shows while the app waits for it rather than
	 * during a call; the helper still decides.
	 * @return whether the right was granted
	 */
	public boolean preauthorize(String right) {
		return this.authorization.preauthorize(right) == AuthorizationServices.SUCCESS;
	}

	/** The external form sent with a call. */
	byte[] externalForm() {
		return this.authorization.externalForm();
	}

	/** Ends the authorization, for this app and for every helper holding its external form. */
	@Override
	public void close() {
		this.authorization.close();
	}

}
