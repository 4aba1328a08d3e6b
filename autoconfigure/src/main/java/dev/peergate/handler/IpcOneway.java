package dev.peergate.handler;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@code void} method of an {@link IpcInterface} interface that a typed client ({@link IpcClients}) calls
 * oneway: the call is sent without waiting, and the server sends no reply — not even an error. The server's
 * handler is an ordinary {@link IpcMethod}; any method can be called oneway.
 *
 * <pre>{@code
 * @IpcInterface("com.example.helper")
 * public interface Helper {
 *     @IpcMethod
 *     @IpcOneway
 *     void flushLater(Flush flush);
 * }
 * }</pre>
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface IpcOneway {

}
