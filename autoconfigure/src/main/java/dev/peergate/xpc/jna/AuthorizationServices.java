package dev.peergate.xpc.jna;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import org.jspecify.annotations.Nullable;

/**
 * Authorization Services for both ends of a privileged helper: the app creates an authorization and sends its
 * external form with each call ({@link #create()}); the helper asks for the right a method needs
 * ({@link #copyRight}); an installer defines the right ({@link #defineRight}). Every {@code AuthorizationRef} is
 * freed on every path, the external form is never logged.
 *
 * <pre>{@code
 * AuthorizationServices services = AuthorizationServices.of(XpcNative.load(NativeLibraries.fromSystemProperties()));
 * int status = services.copyRight(externalForm, "com.example.helper.install", false);
 * boolean granted = status == AuthorizationServices.SUCCESS;
 * }</pre>
 */
public final class AuthorizationServices {

	/** errAuthorizationSuccess. */
	public static final int SUCCESS = 0;

	/** errAuthorizationInvalidRef: the external form names no authorization (forged, or destroyed). */
	public static final int INVALID_REF = -60002;

	/** errAuthorizationDenied. */
	public static final int DENIED = -60005;

	/** errAuthorizationCanceled: the user canceled the authentication dialog. */
	public static final int CANCELED = -60006;

	/** errAuthorizationInteractionNotAllowed: the right needs the user, and interaction was not allowed. */
	public static final int INTERACTION_NOT_ALLOWED = -60007;

	/** errAuthorizationInternalizeNotAllowed. */
	public static final int INTERNALIZE_NOT_ALLOWED = -60010;

	/** LP64 sizes of AuthorizationItem (name, valueLength, value, flags + padding) and AuthorizationItemSet. */
	private static final int ITEM_SIZE = 32;

	private static final int SET_SIZE = 16;

	private final XpcNative nativeXpc;

	private final AuthorizationFramework framework;

	private AuthorizationServices(XpcNative nativeXpc) {
		this.nativeXpc = nativeXpc;
		this.framework = nativeXpc.authorization();
	}

	/** Authorization Services of these native libraries. */
	public static AuthorizationServices of(XpcNative nativeXpc) {
		return new AuthorizationServices(Objects.requireNonNull(nativeXpc, "'nativeXpc' must not be null"));
	}

	/**
	 * The helper's question: does the authorization named by {@code externalForm} hold {@code right}, extending it
	 * if the rule allows (asking the user only when {@code interactionAllowed})? Returns the OSStatus:
	 * {@link #SUCCESS} when granted.
	 */
	public int copyRight(byte[] externalForm, String right, boolean interactionAllowed) {
		if (externalForm.length != AuthorizationFramework.EXTERNAL_FORM_LENGTH) {
			return INVALID_REF;
		}
		Memory form = new Memory(AuthorizationFramework.EXTERNAL_FORM_LENGTH);
		form.write(0, externalForm, 0, externalForm.length);
		PointerByReference reference = new PointerByReference();
		int status = this.framework.AuthorizationCreateFromExternalForm(form, reference);
		form.clear(); // the form authorizes whoever holds it: keep no copy around
		if (status != SUCCESS) {
			return status;
		}
		try {
			int flags = AuthorizationFramework.FLAG_EXTEND_RIGHTS
					| (interactionAllowed ? AuthorizationFramework.FLAG_INTERACTION_ALLOWED : 0);
			return copyRights(reference.getValue(), right, flags);
		}
		finally {
			this.framework.AuthorizationFree(reference.getValue(), AuthorizationFramework.FLAG_DEFAULTS);
		}
	}

	/** The app's side: a new authorization of this process's user, to send with calls. */
	public ClientAuthorization create() {
		PointerByReference reference = new PointerByReference();
		int status = this.framework.AuthorizationCreate(null, null, AuthorizationFramework.FLAG_DEFAULTS, reference);
		if (status != SUCCESS) {
			throw new IllegalStateException("AuthorizationCreate failed: " + describe(status));
		}
		return new ClientAuthorization(reference.getValue());
	}

	/** Whether the rights database defines {@code right}. */
	public boolean isDefined(String right) {
		PointerByReference definition = new PointerByReference();
		int status = this.framework.AuthorizationRightGet(right, definition);
		if (definition.getValue() != null) {
			this.nativeXpc.coreFoundation().CFRelease(definition.getValue());
		}
		return status == SUCCESS;
	}

	/**
	 * Defines (or redefines) a right, as a helper's installer does: a rule name ({@code allow},
	 * {@code authenticate-admin}, ...) or, with {@code group}, class user: members of the group, who must
	 * authenticate unless {@code authenticateUser} is false. Needs root, or the user's authentication.
	 * @return the OSStatus
	 */
	public int defineRight(String right, RightRule rule) {
		Pointer definition = rule.toCf(this);
		try (ClientAuthorization authorization = create()) {
			return this.framework.AuthorizationRightSet(authorization.reference, right, definition, null, null, null);
		}
		finally {
			this.nativeXpc.coreFoundation().CFRelease(definition);
		}
	}

	private int copyRights(Pointer authorization, String right, int flags) {
		Memory name = new Memory(right.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1L);
		name.setString(0, right, "UTF-8");
		Memory item = new Memory(ITEM_SIZE);
		item.clear();
		item.setPointer(0, name);
		Memory set = new Memory(SET_SIZE);
		set.clear();
		set.setInt(0, 1);
		set.setPointer(8, item);
		return this.framework.AuthorizationCopyRights(authorization, set, null, flags, null);
	}

	/** The OSStatus with its Authorization.h name. */
	public static String describe(int status) {
		String name = switch (status) {
			case SUCCESS -> "errAuthorizationSuccess";
			case -60001 -> "errAuthorizationInvalidSet";
			case INVALID_REF -> "errAuthorizationInvalidRef";
			case -60003 -> "errAuthorizationInvalidTag";
			case -60004 -> "errAuthorizationInvalidPointer";
			case DENIED -> "errAuthorizationDenied";
			case CANCELED -> "errAuthorizationCanceled";
			case INTERACTION_NOT_ALLOWED -> "errAuthorizationInteractionNotAllowed";
			case -60008 -> "errAuthorizationInternal";
			case -60009 -> "errAuthorizationExternalizeNotAllowed";
			case INTERNALIZE_NOT_ALLOWED -> "errAuthorizationInternalizeNotAllowed";
			case -60011 -> "errAuthorizationInvalidFlags";
			default -> "OSStatus";
		};
		return name + " (" + status + ")";
	}

	private Pointer cfString(String text) {
		return this.nativeXpc.coreFoundation().CFStringCreateWithCString(null, text, CoreFoundation.UTF8);
	}

	private Pointer cfDictionary(Map<String, Pointer> entries) {
		CoreFoundation cf = this.nativeXpc.coreFoundation();
		NativeLibrary library = NativeLibrary.getInstance(this.nativeXpc.paths().coreFoundation());
		Memory keys = new Memory((long) Native.POINTER_SIZE * entries.size());
		Memory values = new Memory((long) Native.POINTER_SIZE * entries.size());
		List<Pointer> keysMade = new ArrayList<>();
		int i = 0;
		for (Map.Entry<String, Pointer> entry : entries.entrySet()) {
			Pointer key = cfString(entry.getKey());
			keysMade.add(key);
			keys.setPointer((long) i * Native.POINTER_SIZE, key);
			values.setPointer((long) i * Native.POINTER_SIZE, entry.getValue());
			i++;
		}
		try {
			return cf.CFDictionaryCreate(null, keys, values, entries.size(),
					library.getGlobalVariableAddress("kCFTypeDictionaryKeyCallBacks"),
					library.getGlobalVariableAddress("kCFTypeDictionaryValueCallBacks"));
		}
		finally {
			keysMade.forEach(cf::CFRelease); // the dictionary retained them
		}
	}

	private Pointer cfBoolean(boolean value) {
		return NativeLibrary.getInstance(this.nativeXpc.paths().coreFoundation())
			.getGlobalVariableAddress(value ? "kCFBooleanTrue" : "kCFBooleanFalse")
			.getPointer(0);
	}

	/**
	 * A right's rule in the rights database.
	 *
	 * @param ruleName a rule of the database ({@code allow}, {@code deny}, {@code authenticate-admin}), or
	 * {@code null} with a group
	 * @param group members of this group obtain the right, or {@code null}
	 * @param authenticateUser whether a member must still authenticate
	 */
	public record RightRule(@Nullable String ruleName, @Nullable String group, boolean authenticateUser) {

		public RightRule {
			if ((ruleName == null) == (group == null)) {
				throw new IllegalArgumentException("a right's rule is either a rule name or a group");
			}
		}

		/** A rule of the database by name, e.g. {@code authenticate-admin}. */
		public static RightRule named(String ruleName) {
			return new RightRule(ruleName, null, true);
		}

		/** Class user: members of {@code group}, with or without authenticating. */
		public static RightRule group(String group, boolean authenticateUser) {
			return new RightRule(null, group, authenticateUser);
		}

		Pointer toCf(AuthorizationServices services) {
			if (this.ruleName != null) {
				return services.cfString(this.ruleName);
			}
			Pointer userClass = services.cfString("user");
			Pointer groupName = services.cfString(Objects.requireNonNull(this.group));
			try {
				Map<String, Pointer> entries = new LinkedHashMap<>();
				entries.put("class", userClass);
				entries.put("group", groupName);
				entries.put("authenticate-user", services.cfBoolean(this.authenticateUser));
				return services.cfDictionary(entries);
			}
			finally {
				services.nativeXpc.coreFoundation().CFRelease(userClass);
				services.nativeXpc.coreFoundation().CFRelease(groupName);
			}
		}

	}

	/**
	 * An authorization of this process's user, whose external form goes with each call. Close it when done; it
	 * frees the reference and, as the creator, ends the authorization every copy of the external form names.
	 */
	public final class ClientAuthorization implements AutoCloseable {

		private final Pointer reference;

		private boolean closed;

		private byte @Nullable [] form;

		private ClientAuthorization(Pointer reference) {
			this.reference = reference;
		}

		/**
		 * The 32 bytes naming this authorization to the helper (made once: they name it until it is closed, and a
		 * client sends them with every call); never log them.
		 */
		public synchronized byte[] externalForm() {
			if (this.closed) {
				throw new IllegalStateException("the authorization is closed");
			}
			byte[] form = this.form;
			if (form == null) {
				Memory made = new Memory(AuthorizationFramework.EXTERNAL_FORM_LENGTH);
				int status = AuthorizationServices.this.framework.AuthorizationMakeExternalForm(this.reference, made);
				if (status != SUCCESS) {
					throw new IllegalStateException("AuthorizationMakeExternalForm failed: " + describe(status));
				}
				form = made.getByteArray(0, AuthorizationFramework.EXTERNAL_FORM_LENGTH);
				made.clear();
				this.form = form;
			}
			return form.clone();
		}

		/**
		 * Asks for {@code right} now, in the app, so that the user sees the dialog there rather than on the
		 * helper's first call (kAuthorizationFlagPreAuthorize). Returns the OSStatus.
		 */
		public synchronized int preauthorize(String right) {
			return copyRights(this.reference, right, AuthorizationFramework.FLAG_EXTEND_RIGHTS
					| AuthorizationFramework.FLAG_INTERACTION_ALLOWED | AuthorizationFramework.FLAG_PREAUTHORIZE);
		}

		@Override
		public synchronized void close() {
			if (!this.closed) {
				this.closed = true;
				if (this.form != null) {
					java.util.Arrays.fill(this.form, (byte) 0);
					this.form = null;
				}
				AuthorizationServices.this.framework.AuthorizationFree(this.reference,
						AuthorizationFramework.FLAG_DESTROY_RIGHTS);
			}
		}

	}

}
