/**
 * Requirement languages, validated at startup on every OS: Apple's code-signing requirement language (parser,
 * canonical printer, explainer) and fact dictionaries (LWCR on macOS, Linux facts), sharing one error type.
 */
@NullMarked
package dev.peergate.requirement;

import org.jspecify.annotations.NullMarked;
