/**
 * The varlink protocol: NUL-terminated JSON messages, the {@code org.varlink.service} interface and IDL generated
 * from handler records. Independent of the socket layer.
 */
@NullMarked
package dev.peergate.varlink;

import org.jspecify.annotations.NullMarked;
