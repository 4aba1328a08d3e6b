package dev.peergate.xpc.jna;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/**
 * The Authorization Services functions of Security.framework ({@code Authorization.h}, {@code AuthorizationDB.h}),
 * as a privileged helper and its app use them for per-method rights. Item sets are passed as {@link Pointer}s to
 * memory laid out by {@link AuthorizationServices} (LP64: an item is 32 bytes, a set 16); an
 * {@code AuthorizationRef} is freed with {@link #AuthorizationFree}, a returned item set with
 * {@link #AuthorizationFreeItemSet}.
 *
 * <pre>{@code
 * PointerByReference authorization = new PointerByReference();
 * int status = framework.AuthorizationCreate(null, null, AuthorizationFramework.FLAG_DEFAULTS, authorization);
 * }</pre>
 */
@SuppressWarnings("checkstyle:MethodName")
public interface AuthorizationFramework extends Library {

	/** kAuthorizationFlagDefaults. */
	int FLAG_DEFAULTS = 0;

	/** kAuthorizationFlagInteractionAllowed: the user may be asked to authenticate. */
	int FLAG_INTERACTION_ALLOWED = 1;

	/** kAuthorizationFlagExtendRights: obtain rights the authorization does not hold yet. */
	int FLAG_EXTEND_RIGHTS = 1 << 1;

	/** kAuthorizationFlagDestroyRights: with AuthorizationFree, ends the session every external form names. */
	int FLAG_DESTROY_RIGHTS = 1 << 3;

	/** kAuthorizationFlagPreAuthorize: ask now for rights a helper will check later. */
	int FLAG_PREAUTHORIZE = 1 << 4;

	/** kAuthorizationExternalFormLength. */
	int EXTERNAL_FORM_LENGTH = 32;

	int AuthorizationCreate(Pointer rights, Pointer environment, int flags, PointerByReference authorization);

	int AuthorizationFree(Pointer authorization, int flags);

	int AuthorizationCopyRights(Pointer authorization, Pointer rights, Pointer environment, int flags,
			PointerByReference authorizedRights);

	int AuthorizationMakeExternalForm(Pointer authorization, Pointer externalForm);

	int AuthorizationCreateFromExternalForm(Pointer externalForm, PointerByReference authorization);

	int AuthorizationFreeItemSet(Pointer set);

	int AuthorizationRightGet(String rightName, PointerByReference rightDefinition);

	int AuthorizationRightSet(Pointer authorization, String rightName, Pointer rightDefinition, Pointer descriptionKey,
			Pointer bundle, Pointer localeTableName);

}
