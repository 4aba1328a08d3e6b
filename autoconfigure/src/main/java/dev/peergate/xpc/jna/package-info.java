/**
 * JNA bindings for libxpc, libdispatch, Security.framework and CoreFoundation, block construction and XPC object
 * conversion. The only package of the macOS transport that touches {@code com.sun.jna}.
 */
@NullMarked
package dev.peergate.xpc.jna;

import org.jspecify.annotations.NullMarked;
