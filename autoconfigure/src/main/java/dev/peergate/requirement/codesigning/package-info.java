/**
 * Apple's code-signing requirement language: a parser for the whole grammar of Security.framework's
 * {@code requirements.grammar}, an immutable syntax tree, a canonical printer following Apple's dumper and an
 * explainer that tells a human why a peer's signing facts do or do not satisfy a requirement.
 * <p>
 * Nothing here decides admission: on macOS the operating system evaluates requirements. This package validates
 * configuration on every OS, normalises it and explains refusals.
 */
@NullMarked
package dev.peergate.requirement.codesigning;

import org.jspecify.annotations.NullMarked;
