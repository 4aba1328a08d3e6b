package dev.peergate.xpc.jna;

import com.sun.jna.Library;
import com.sun.jna.Pointer;

/**
 * The small CoreFoundation subset Peergate needs: strings in and out of Security.framework, error descriptions,
 * and reading the signing-information dictionary.
 *
 * <pre>{@code
 * Pointer text = cf.CFStringCreateWithCString(null, "identifier \"com.example.cli\"", CoreFoundation.UTF8);
 * try { ... } finally { cf.CFRelease(text); }
 * }</pre>
 */
@SuppressWarnings("checkstyle:MethodName")
public interface CoreFoundation extends Library {

	/** kCFStringEncodingUTF8. */
	int UTF8 = 0x08000100;

	/** kCFNumberSInt32Type. */
	long NUMBER_SINT32 = 3;

	/** kCFNumberSInt64Type. */
	long NUMBER_SINT64 = 4;

	void CFRelease(Pointer cf);

	long CFGetTypeID(Pointer cf);

	long CFStringGetTypeID();

	long CFDataGetTypeID();

	long CFNumberGetTypeID();

	long CFBooleanGetTypeID();

	long CFArrayGetTypeID();

	long CFDictionaryGetTypeID();

	byte CFBooleanGetValue(Pointer bool);

	long CFArrayGetCount(Pointer array);

	/** Get rule: the element is borrowed from the array. */
	Pointer CFArrayGetValueAtIndex(Pointer array, long index);

	long CFDictionaryGetCount(Pointer dictionary);

	/**
	 * Fills {@code keys} and {@code values} (each {@link #CFDictionaryGetCount} pointers) with borrowed references.
	 */
	void CFDictionaryGetKeysAndValues(Pointer dictionary, Pointer keys, Pointer values);

	Pointer CFStringCreateWithCString(Pointer allocator, String cStr, int encoding);

	long CFStringGetLength(Pointer string);

	long CFStringGetMaximumSizeForEncoding(long length, int encoding);

	byte CFStringGetCString(Pointer string, byte[] buffer, long bufferSize, int encoding);

	Pointer CFErrorCopyDescription(Pointer error);

	long CFErrorGetCode(Pointer error);

	Pointer CFDictionaryGetValue(Pointer dictionary, Pointer key);

	long CFDataGetLength(Pointer data);

	Pointer CFDataGetBytePtr(Pointer data);

	byte CFNumberGetValue(Pointer number, long type, Pointer valuePtr);

	Pointer CFDataCreate(Pointer allocator, Pointer bytes, long length);

	Pointer CFNumberCreate(Pointer allocator, long theType, Pointer valuePtr);

	/**
	 * The callback arguments are the <em>addresses</em> of {@code kCFTypeDictionaryKeyCallBacks} and
	 * {@code kCFTypeDictionaryValueCallBacks}: the dictionary then retains its keys and values.
	 */
	Pointer CFDictionaryCreate(Pointer allocator, Pointer keys, Pointer values, long numValues, Pointer keyCallBacks,
			Pointer valueCallBacks);

}
