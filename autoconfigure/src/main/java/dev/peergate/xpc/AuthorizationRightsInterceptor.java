package dev.peergate.xpc;

import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import dev.peergate.core.CallVerdictSink;
import dev.peergate.core.Outcome;
import dev.peergate.core.Reason;
import dev.peergate.handler.AuthorityCallInterceptor;
import dev.peergate.handler.CallAuthorization;
import dev.peergate.handler.CallContext;
import dev.peergate.xpc.jna.AuthorizationServices;
import dev.peergate.xpc.jna.XpcNative;

/**
 * Asks Authorization Services, before a method with an authorization right runs, whether the authorization the
 * call carries holds the right, as Apple's privileged-helper pattern does: the app sends the external form of its
 * {@code AuthorizationRef} under {@value CallAuthorization#EXTERNAL_FORM_KEY}; the helper internalizes it, asks
 * for the method's right (extending it if the rule allows, asking the user only when the call set
 * {@value CallAuthorization#INTERACTIVE_KEY}) and frees it. A call without an authorization, with one that names
 * nothing, or whose right is not granted is refused with {@code org.varlink.service.PermissionDenied}; the
 * connection stays open. Runs on the handler thread: methods with a right must be blocking handlers (a dialog
 * takes its time).
 * <p>
 * What it proves: the user of the authorization session holds the right. Whoever holds an external form can use
 * it, so the listener's requirement (who may connect at all) still does the work of telling processes apart.
 *
 * <pre>{@code
 * CallInterceptor rights = new AuthorizationRightsInterceptor(
 *         Map.of("helper", Map.of("com.example.helper.Install", "com.example.helper.install")),
 *         AuthorizationServices.of(nativeXpc), () -> callVerdictSink);
 * }</pre>
 */
public final class AuthorizationRightsInterceptor extends AuthorityCallInterceptor {

	/** The authority tag of decisions made by Authorization Services. */
	public static final String AUTHORITY = "authorization-services";

	private final AuthorizationServices services;

	/** Rights by listener, then by fully qualified method. */
	public AuthorizationRightsInterceptor(Map<String, Map<String, String>> rights, AuthorizationServices services,
			Supplier<CallVerdictSink> sink) {
		super(AUTHORITY, rights, sink);
		this.services = services;
	}

	/** The interceptor asking through the native libraries of the listener with these options. */
	public static AuthorizationRightsInterceptor of(Map<String, Map<String, String>> rights,
			XpcListenerOptions options, Supplier<CallVerdictSink> sink) {
		return new AuthorizationRightsInterceptor(rights, AuthorizationServices.of(XpcNative.load(options.libraries())),
				sink);
	}

	@Override
	protected Decision decide(CallContext context, String right) {
		CallAuthorization authorization = context.authorization();
		Optional<byte[]> form = authorization.externalForm();
		if (form.isEmpty()) {
			return new Decision(Outcome.REJECTED, Reason.REQUIREMENT_NOT_SATISFIED, "right " + right
					+ " needs an authorization, and the call carries none (the external form of an AuthorizationRef "
					+ "under '" + CallAuthorization.EXTERNAL_FORM_KEY + "')");
		}
		int status;
		try {
			status = this.services.copyRight(form.get(), right, authorization.interactionAllowed());
		}
		catch (RuntimeException ex) { // a native failure: nobody was asked, fail closed
			return new Decision(Outcome.ERROR, Reason.AUTHORITY_UNAVAILABLE,
					"Authorization Services could not be asked about " + right + ": " + ex.getMessage());
		}
		String named = AuthorizationServices.describe(status);
		return switch (status) {
			case AuthorizationServices.SUCCESS ->
				new Decision(Outcome.ACCEPTED, Reason.SATISFIED, "Authorization Services granted " + right);
			case AuthorizationServices.DENIED -> new Decision(Outcome.REJECTED, Reason.REQUIREMENT_NOT_SATISFIED,
					"Authorization Services denied " + right + ": " + named);
			case AuthorizationServices.CANCELED -> new Decision(Outcome.REJECTED, Reason.REQUIREMENT_NOT_SATISFIED,
					"the user canceled the authentication for " + right + ": " + named);
			case AuthorizationServices.INTERACTION_NOT_ALLOWED -> new Decision(Outcome.REJECTED,
					Reason.REQUIREMENT_NOT_SATISFIED, right + " needs the user to authenticate, and the call did not "
							+ "allow interaction (" + CallAuthorization.INTERACTIVE_KEY + "): " + named);
			case AuthorizationServices.INVALID_REF, AuthorizationServices.INTERNALIZE_NOT_ALLOWED ->
				new Decision(Outcome.REJECTED, Reason.VERIFICATION_FAILED,
						"the authorization the call carries names no authorization of this host (forged, or freed "
								+ "by its app): " + named);
			default -> new Decision(Outcome.ERROR, Reason.AUTHORITY_UNAVAILABLE,
					"Authorization Services failed to decide about " + right + ": " + named);
		};
	}

}
