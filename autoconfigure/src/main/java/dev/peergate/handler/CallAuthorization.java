package dev.peergate.handler;

import java.util.Arrays;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * What a call carries for the authorities that decide on it, besides its parameters: whether the caller lets an
 * authority ask its user to authenticate, and, on XPC, the external form of the caller's {@code AuthorizationRef}
 * (Authorization Services). The external form authorizes whoever holds it: it is copied in and out and never
 * printed.
 *
 * <pre>{@code
 * CallAuthorization authorization = CallAuthorization.of(externalForm, true);
 * authorization.externalForm().ifPresent((form) -> services.copyRight(form, right, authorization.interactionAllowed()));
 * }</pre>
 */
public final class CallAuthorization {

	/** The key of an XPC message holding the external form of the caller's AuthorizationRef (data, 32 bytes). */
	public static final String EXTERNAL_FORM_KEY = "authorization";

	/**
	 * The key by which a call allows interactive authentication (bool): of an XPC message, beside the method; the
	 * name systemd's varlink services give the same parameter.
	 */
	public static final String INTERACTIVE_KEY = "allowInteractiveAuthentication";

	/** A call that carries nothing for an authority and does not allow interaction. */
	public static final CallAuthorization NONE = new CallAuthorization(null, false);

	private final byte @Nullable [] externalForm;

	private final boolean interactionAllowed;

	private CallAuthorization(byte @Nullable [] externalForm, boolean interactionAllowed) {
		this.externalForm = externalForm;
		this.interactionAllowed = interactionAllowed;
	}

	/** What a call carries: an external form or {@code null}, and whether it allows interactive authentication. */
	public static CallAuthorization of(byte @Nullable [] externalForm, boolean interactionAllowed) {
		if (externalForm == null && !interactionAllowed) {
			return NONE;
		}
		return new CallAuthorization((externalForm != null) ? externalForm.clone() : null, interactionAllowed);
	}

	/** A copy of the external form of the caller's authorization, if the call carries one. */
	public Optional<byte[]> externalForm() {
		return Optional.ofNullable(this.externalForm).map(byte[]::clone);
	}

	/** This authorization, letting an authority ask the caller's user. */
	public CallAuthorization allowingInteraction() {
		return this.interactionAllowed ? this : new CallAuthorization(this.externalForm, true);
	}

	/** Whether an authority may ask the caller's user to authenticate for this call. */
	public boolean interactionAllowed() {
		return this.interactionAllowed;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return other instanceof CallAuthorization that && this.interactionAllowed == that.interactionAllowed
				&& Arrays.equals(this.externalForm, that.externalForm);
	}

	@Override
	public int hashCode() {
		return 31 * Arrays.hashCode(this.externalForm) + Boolean.hashCode(this.interactionAllowed);
	}

	@Override
	public String toString() {
		return "CallAuthorization[externalForm=" + ((this.externalForm != null) ? "present" : "none")
				+ ", interactionAllowed=" + this.interactionAllowed + "]";
	}

}
