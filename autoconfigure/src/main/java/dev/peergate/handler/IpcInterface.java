package dev.peergate.handler;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a bean whose {@link IpcMethod} methods are reachable over Peergate listeners, under a reverse-domain
 * interface name (a varlink interface on Linux, the method prefix in XPC request dictionaries on macOS).
 *
 * <pre>{@code
 * @Component
 * @IpcInterface(value = "com.example.helper", description = "Privileged helper")
 * class Helper {
 *     @IpcMethod
 *     Status status() { return new Status("ok"); }
 * }
 * }</pre>
 * The method is then called as {@code com.example.helper.Status}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface IpcInterface {

	/** Reverse-domain interface name, e.g. {@code com.example.helper}. */
	String value();

	/** Description, emitted as a comment in the generated varlink IDL. */
	String description() default "";

	/**
	 * Listener names that serve this interface; empty means every listener.
	 */
	String[] listeners() default {};

}
