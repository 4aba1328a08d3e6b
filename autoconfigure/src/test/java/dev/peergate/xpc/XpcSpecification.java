package dev.peergate.xpc;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A specification of the XPC listener that runs on both backends ({@link XpcBackend}): through the simulator on
 * Linux (in {@code ./test}) and against the real libxpc on macOS (the macOS workflow selects the tag:
 * {@code -Dgroups=xpc-backends}). Its test methods take an {@link XpcBackendFixture} parameter.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(XpcSpecification.TAG)
@ExtendWith(XpcBackendFixture.Resolver.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@interface XpcSpecification {

	/** The tag the macOS workflow runs. */
	String TAG = "xpc-backends";

}
