package dev.peergate.handler;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares an error an {@link IpcInterface} may return, so that it appears in the generated IDL.
 *
 * <pre>{@code
 * @IpcInterface("com.example.helper")
 * @IpcErrorType(name = "NotFound", parameters = NotFound.class)
 * class Helper { ... }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Repeatable(IpcErrorTypes.class)
public @interface IpcErrorType {

	/** Short error name, qualified by the interface name on the wire. */
	String name();

	/** A record describing the error's parameters; {@code Void.class} for none. */
	Class<?> parameters() default Void.class;

}
