package dev.peergate.handler;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Container of repeated {@link IpcErrorType} declarations.
 *
 * <pre>{@code
 * @IpcInterface("com.example.helper")
 * @IpcErrorType(name = "NoSuchPath", parameters = NoSuchPath.class)
 * @IpcErrorType(name = "Busy")
 * public class HelperService { ... }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface IpcErrorTypes {

	/** The declarations. */
	IpcErrorType[] value();

}
