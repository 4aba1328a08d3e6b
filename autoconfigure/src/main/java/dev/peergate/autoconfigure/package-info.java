/**
 * Spring Boot auto-configuration of Peergate: properties, listener creation, fail-closed validation and the
 * failure analyzer. Loaded only through {@code AutoConfiguration.imports}, never component-scanned.
 */
@NullMarked
package dev.peergate.autoconfigure;

import org.jspecify.annotations.NullMarked;
