package dev.peergate.handler;

/**
 * Decides whether a peer already let in by its listener may call one method. The {@link Dispatcher} asks it for
 * every call of an existing method, before binding the parameters; a refused call is answered
 * {@value StandardErrors#PERMISSION_DENIED} (a oneway call is dropped) and the connection stays open for the
 * methods the peer may call.
 *
 * <pre>{@code
 * CallAuthorizer rootOnlyForInstall = (context, method) ->
 *         !method.qualifiedName().equals("com.example.helper.Install") || context.peer().uid() == 0;
 * }</pre>
 */
@FunctionalInterface
public interface CallAuthorizer {

	/** Whether the call may run; the authorizer reports its own decision. */
	boolean authorize(CallContext context, MethodDescriptor method);

	/** Allows every call. */
	static CallAuthorizer allowAll() {
		return (context, method) -> true;
	}

}
