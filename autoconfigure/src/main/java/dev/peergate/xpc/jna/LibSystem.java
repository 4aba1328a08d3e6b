package dev.peergate.xpc.jna;

import com.sun.jna.Library;
import com.sun.jna.ptr.LongByReference;

/**
 * libSystem functions outside libxpc: {@code sysctlbyname} reads {@code kern.osproductversion} (the marketing
 * version, e.g. {@code 14.4.1}) which drives the mechanism table.
 *
 * <pre>{@code
 * LongByReference length = new LongByReference();
 * system.sysctlbyname("kern.osproductversion", null, length, null, 0);
 * }</pre>
 */
@SuppressWarnings("checkstyle:MethodName")
public interface LibSystem extends Library {

	int sysctlbyname(String name, byte[] oldp, LongByReference oldlenp, byte[] newp, long newlen);

}
