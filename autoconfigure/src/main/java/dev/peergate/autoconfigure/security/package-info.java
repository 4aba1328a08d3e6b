/**
 * Auto-configuration of Spring Security for IPC handlers, when Spring Security is on the classpath.
 */
@NullMarked
package dev.peergate.autoconfigure.security;

import org.jspecify.annotations.NullMarked;
