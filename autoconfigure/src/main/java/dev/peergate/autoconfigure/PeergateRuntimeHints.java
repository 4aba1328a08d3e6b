package dev.peergate.autoconfigure;

import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;

/**
 * What Peergate itself reaches reflectively, for an ahead-of-time processed application (a native image): the JNA
 * library interfaces (bound as JDK proxies), the callbacks libxpc calls, the libc class bound by JNA direct
 * mapping, and the native libraries of JNA and Netty shipped as resources. The handlers of the application are
 * covered by {@link IpcInterfaceBeanRegistrationAotProcessor}. Types are named, not loaded: the macOS bindings are
 * described on Linux too.
 */
class PeergateRuntimeHints implements RuntimeHintsRegistrar {

	/** JNA {@code Library} interfaces loaded with {@code Native.load}: JNA implements them as JDK proxies. */
	static final List<String> LIBRARIES = List.of("dev.peergate.xpc.jna.LibXpc",
			"dev.peergate.xpc.jna.LibXpcPeerRequirements", "dev.peergate.xpc.jna.LibXpcPrivate",
			"dev.peergate.xpc.jna.LibDispatch", "dev.peergate.xpc.jna.SecurityFramework",
			"dev.peergate.xpc.jna.CoreFoundation", "dev.peergate.xpc.jna.LibSystem");

	/** JNA callbacks: native code calls their single method. */
	static final List<String> CALLBACKS = List.of("dev.peergate.xpc.jna.Blocks$HandlerInvoke",
			"dev.peergate.xpc.jna.Blocks$ApplierInvoke", "dev.peergate.xpc.jna.Blocks$BarrierInvoke",
			"dev.peergate.xpc.jna.Blocks$CopyHelper", "dev.peergate.xpc.jna.Blocks$DisposeHelper");

	/** Bound by JNA direct mapping ({@code Native.register}), which reflects over its native methods. */
	static final List<String> DIRECT_MAPPED_LIBC = List.of("dev.peergate.unix.jna.LinuxNative$CLib",
			"dev.peergate.systemd.jna.NotifyDatagrams$CLib");

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		for (String library : LIBRARIES) {
			hints.proxies().registerJdkProxy(TypeReference.of(library));
			hints.reflection().registerType(TypeReference.of(library), MemberCategory.INVOKE_PUBLIC_METHODS);
		}
		for (String callback : CALLBACKS) {
			hints.reflection().registerType(TypeReference.of(callback), MemberCategory.INVOKE_PUBLIC_METHODS);
		}
		for (String libc : DIRECT_MAPPED_LIBC) {
			hints.reflection().registerType(TypeReference.of(libc), MemberCategory.INVOKE_DECLARED_METHODS);
		}
		hints.resources().registerPattern("com/sun/jna/*/libjnidispatch.*");
		hints.resources().registerPattern("META-INF/native/libnetty_transport_native_epoll*");
		hints.resources().registerPattern("META-INF/native/libnetty_transport_native_kqueue*");
	}

}
