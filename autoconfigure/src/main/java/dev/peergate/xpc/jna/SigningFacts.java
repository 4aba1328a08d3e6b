package dev.peergate.xpc.jna;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import dev.peergate.core.FactNames;
import org.jspecify.annotations.Nullable;

/**
 * Reads a code object's signing information ({@code SecCodeCopySigningInformation} with
 * {@code kSecCSSigningInformation}) into facts: identifier, team, cdhash, flags, platform identifier, the
 * certificate chain's subjects, entitlements and Info.plist. The facts only explain a rejection; the OS decides.
 */
final class SigningFacts {

	/** Deeper property lists are cut off: a peer's plist must not exhaust the stack of the explaining thread. */
	private static final int MAX_DEPTH = 32;

	private final XpcNative nativeXpc;

	/** kSecCodeInfo* keys of the scalar facts, by fact name, when exported. */
	private final Map<String, Pointer> infoKeys = new LinkedHashMap<>();

	/** kSecCodeInfoCertificates, kSecCodeInfoEntitlementsDict, kSecCodeInfoPList by fact name, when exported. */
	private final Map<String, Pointer> structuredKeys = new LinkedHashMap<>();

	SigningFacts(XpcNative nativeXpc, NativeLibrary security) {
		this.nativeXpc = nativeXpc;
		for (String[] key : new String[][] { { FactNames.SIGNING_IDENTIFIER, "kSecCodeInfoIdentifier" },
				{ FactNames.TEAM_IDENTIFIER, "kSecCodeInfoTeamIdentifier" }, { FactNames.CDHASH, "kSecCodeInfoUnique" },
				{ FactNames.CODE_SIGNING_FLAGS, "kSecCodeInfoFlags" },
				{ FactNames.PLATFORM_IDENTIFIER, "kSecCodeInfoPlatformIdentifier" } }) {
			Pointer address = XpcConstants.optional(security, key[1]);
			if (address != null) {
				this.infoKeys.put(key[0], address.getPointer(0));
			}
		}
		for (String[] key : new String[][] { { XpcSecurity.CERTIFICATES, "kSecCodeInfoCertificates" },
				{ XpcSecurity.ENTITLEMENTS, "kSecCodeInfoEntitlementsDict" },
				{ XpcSecurity.INFO_PLIST, "kSecCodeInfoPList" } }) {
			Pointer address = XpcConstants.optional(security, key[1]);
			if (address != null) {
				this.structuredKeys.put(key[0], address.getPointer(0));
			}
		}
	}

	/** The signing facts of a code object ({@code SecCodeRef}), LWCR names; empty when they cannot be read. */
	Map<String, Object> of(Pointer code) {
		CoreFoundation cf = this.nativeXpc.coreFoundation();
		PointerByReference information = new PointerByReference();
		if (this.nativeXpc.security()
			.SecCodeCopySigningInformation(code, SecurityFramework.K_SEC_CS_SIGNING_INFORMATION, information) != 0) {
			return Map.of();
		}
		Map<String, Object> facts = new LinkedHashMap<>();
		try {
			for (Map.Entry<String, Pointer> key : this.infoKeys.entrySet()) {
				Pointer value = cf.CFDictionaryGetValue(information.getValue(), key.getValue());
				if (value == null) {
					continue;
				}
				long type = cf.CFGetTypeID(value);
				if (type == cf.CFStringGetTypeID()) {
					String text = this.nativeXpc.string(value);
					if (text != null) {
						facts.put(key.getKey(), text);
					}
				}
				else if (type == cf.CFDataGetTypeID()) {
					long length = cf.CFDataGetLength(value);
					byte[] bytes = (length > 0) ? cf.CFDataGetBytePtr(value).getByteArray(0, (int) length) : new byte[0];
					facts.put(key.getKey(), HexFormat.of().formatHex(bytes));
				}
				else if (type == cf.CFNumberGetTypeID()) {
					Memory number = new Memory(8);
					if (cf.CFNumberGetValue(value, CoreFoundation.NUMBER_SINT64, number) != 0) {
						facts.put(key.getKey(), number.getLong(0));
					}
				}
			}
			Pointer certificates = structured(information.getValue(), XpcSecurity.CERTIFICATES);
			if (certificates != null && cf.CFGetTypeID(certificates) == cf.CFArrayGetTypeID()) {
				facts.put(XpcSecurity.CERTIFICATES, certificates(certificates));
			}
			for (String name : new String[] { XpcSecurity.ENTITLEMENTS, XpcSecurity.INFO_PLIST }) {
				Pointer dictionary = structured(information.getValue(), name);
				if (dictionary != null && cf.CFGetTypeID(dictionary) == cf.CFDictionaryGetTypeID()) {
					Object map = fromCf(dictionary, 0);
					if (map != null) {
						facts.put(name, map);
					}
				}
			}
		}
		finally {
			cf.CFRelease(information.getValue());
		}
		return facts;
	}

	private @Nullable Pointer structured(Pointer information, String name) {
		Pointer key = this.structuredKeys.get(name);
		return (key != null) ? this.nativeXpc.coreFoundation().CFDictionaryGetValue(information, key) : null;
	}

	/**
	 * Each certificate's DER ({@code SecCertificateCopyData}, released here) parsed by the JDK's X.509 parser:
	 * subject attributes, SHA-1, extension OIDs. A certificate the JDK cannot parse contributes an empty entry, so
	 * positions in the chain stay right.
	 */
	private List<Map<String, Object>> certificates(Pointer array) {
		CoreFoundation cf = this.nativeXpc.coreFoundation();
		long count = cf.CFArrayGetCount(array);
		List<Map<String, Object>> chain = new ArrayList<>();
		for (long i = 0; i < count && i < 16; i++) {
			Pointer certificate = cf.CFArrayGetValueAtIndex(array, i);
			Pointer data = (certificate != null) ? this.nativeXpc.security().SecCertificateCopyData(certificate) : null;
			if (data == null) {
				chain.add(Map.of());
				continue;
			}
			try {
				long length = cf.CFDataGetLength(data);
				byte[] der = (length > 0) ? cf.CFDataGetBytePtr(data).getByteArray(0, (int) length) : new byte[0];
				chain.add(CertificateSubjects.describe(der));
			}
			finally {
				cf.CFRelease(data);
			}
		}
		return chain;
	}

	/** A property-list value as Java: String, Boolean, Long, byte[], List, Map; {@code null} for other types. */
	private @Nullable Object fromCf(Pointer value, int depth) {
		if (depth > MAX_DEPTH) {
			return null;
		}
		CoreFoundation cf = this.nativeXpc.coreFoundation();
		long type = cf.CFGetTypeID(value);
		if (type == cf.CFStringGetTypeID()) {
			return this.nativeXpc.string(value);
		}
		if (type == cf.CFBooleanGetTypeID()) {
			return cf.CFBooleanGetValue(value) != 0;
		}
		if (type == cf.CFNumberGetTypeID()) {
			Memory number = new Memory(8);
			return (cf.CFNumberGetValue(value, CoreFoundation.NUMBER_SINT64, number) != 0) ? number.getLong(0) : null;
		}
		if (type == cf.CFDataGetTypeID()) {
			long length = cf.CFDataGetLength(value);
			return (length > 0) ? cf.CFDataGetBytePtr(value).getByteArray(0, (int) length) : new byte[0];
		}
		if (type == cf.CFArrayGetTypeID()) {
			long count = cf.CFArrayGetCount(value);
			List<Object> list = new ArrayList<>();
			for (long i = 0; i < count; i++) {
				Object element = fromCf(cf.CFArrayGetValueAtIndex(value, i), depth + 1);
				if (element != null) {
					list.add(element);
				}
			}
			return list;
		}
		if (type == cf.CFDictionaryGetTypeID()) {
			int count = (int) cf.CFDictionaryGetCount(value);
			Map<String, Object> map = new LinkedHashMap<>();
			if (count <= 0) {
				return map;
			}
			Memory keys = new Memory((long) count * Native.POINTER_SIZE);
			Memory values = new Memory((long) count * Native.POINTER_SIZE);
			cf.CFDictionaryGetKeysAndValues(value, keys, values);
			for (int i = 0; i < count; i++) {
				Pointer key = keys.getPointer((long) i * Native.POINTER_SIZE);
				if (key == null || cf.CFGetTypeID(key) != cf.CFStringGetTypeID()) {
					continue;
				}
				String name = this.nativeXpc.string(key);
				Object element = fromCf(values.getPointer((long) i * Native.POINTER_SIZE), depth + 1);
				if (name != null && element != null) {
					map.put(name, element);
				}
			}
			return map;
		}
		return null;
	}

}
