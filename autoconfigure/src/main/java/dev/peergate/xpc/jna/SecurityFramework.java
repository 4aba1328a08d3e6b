package dev.peergate.xpc.jna;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import org.jspecify.annotations.Nullable;

/**
 * The Security.framework functions of the {@code observed} mechanism and of rejection explanations. Every
 * {@code Create}/{@code Copy} out-parameter is a +1 CoreFoundation reference released with
 * {@link CoreFoundation#CFRelease}. Note the argument order of {@link #SecRequirementCreateWithStringAndErrors}:
 * errors before the requirement.
 *
 * <pre>{@code
 * PointerByReference code = new PointerByReference();
 * int status = security.SecCodeCreateWithXPCMessage(message, 0, code);
 * }</pre>
 */
@SuppressWarnings("checkstyle:MethodName")
public interface SecurityFramework extends Library {

	/** errSecCSReqFailed: the code does not satisfy the requirement. */
	int ERR_SEC_CS_REQ_FAILED = -67050;

	/** kSecCSSigningInformation for {@link #SecCodeCopySigningInformation}. */
	int K_SEC_CS_SIGNING_INFORMATION = 1 << 1;

	/** errSecCSInvalidAttributeValues: the guest attributes could not be used. */
	int ERR_SEC_CS_INVALID_ATTRIBUTE_VALUES = -67066;

	/** errSecCSNoSuchCode: no running code matches the guest attributes (e.g. the process is gone). */
	int ERR_SEC_CS_NO_SUCH_CODE = -67065;

	/** macOS 11.0. */
	int SecCodeCreateWithXPCMessage(Pointer message, int flags, PointerByReference target);

	/**
	 * Locates running code through its host ({@code null}: the kernel, root of trust) by guest attributes such as
	 * {@code kSecGuestAttributeAudit} (CFData, 32-byte audit token) or {@code kSecGuestAttributePid} (CFNumber).
	 * Present on every macOS Peergate runs on; the fallbacks of macOS 10.x use it.
	 */
	int SecCodeCopyGuestWithAttributes(Pointer host, Pointer attributes, int flags, PointerByReference guest);

	/** The code of this process; present on every macOS Peergate runs on. */
	int SecCodeCopySelf(int flags, PointerByReference self);

	/**
	 * Validates the code's signature, and with a requirement checks it too. SecCode.h: one of the CheckValidity
	 * functions must succeed before {@link #SecCodeCopySigningInformation}'s result can be trusted.
	 */
	int SecCodeCheckValidityWithErrors(Pointer code, int flags, @Nullable Pointer requirement,
			@Nullable PointerByReference errors);

	int SecRequirementCreateWithStringAndErrors(Pointer text, int flags, PointerByReference errors,
			PointerByReference requirement);

	int SecCodeCopySigningInformation(Pointer code, int flags, PointerByReference information);

	/**
	 * The DER encoding of a certificate of {@code kSecCodeInfoCertificates} (+1, {@code NULL} if the argument is
	 * not a certificate). macOS 10.6; Apple's documentation, not the project's reference.
	 */
	Pointer SecCertificateCopyData(Pointer certificate);

}
