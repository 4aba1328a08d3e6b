package dev.peergate.xpc.jna;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

import com.sun.jna.Library;
import com.sun.jna.Native;

import org.junit.jupiter.api.Assumptions;

/**
 * The C client of {@code src/test/c/xpcclient/peergate_client.c}, which uses only libxpc's public API, built with
 * clang against the full simulator and loaded into this JVM: the simulator routes messages within one process, so
 * the client reaches a listener running here. Loaded with {@code RTLD_DEEPBIND} so that its libxpc calls bind to the
 * simulator it was linked with, whichever simulator variant the JVM loaded first.
 *
 * <pre>{@code
 * String lines = XpcCClient.current()
 *     .call("com.example.helper.1", "com.example.helper.Echo", "text", "hi", XpcCClient.Mode.CALL);
 * }</pre>
 */
public final class XpcCClient {

	private static final int RTLD_NOW = 2;

	private static final int RTLD_DEEPBIND = 8;

	private static Object built;

	private final Binding binding;

	private XpcCClient(Path library) {
		this.binding = Native.load(library.toString(), Binding.class,
				Map.of(Library.OPTION_STRING_ENCODING, "UTF-8", Library.OPTION_OPEN_FLAGS, RTLD_NOW | RTLD_DEEPBIND));
	}

	/** The client, built on first use against {@link XpcSimulator#current()}; skips the test when it cannot be. */
	public static synchronized XpcCClient current() {
		if (built == null) {
			built = build(XpcSimulator.current().library());
		}
		Object client = built;
		Assumptions.assumeTrue(client instanceof XpcCClient, () -> "C client unavailable: " + client);
		return (XpcCClient) client;
	}

	private static Object build(Path simulator) {
		Path source = Paths.get("src/test/c/xpcclient/peergate_client.c").toAbsolutePath();
		Path output = simulator.resolveSibling("libpeergate-client.so");
		List<String> command = List.of("clang", "-fblocks", "-shared", "-fPIC", "-O1", "-g", "-Wall", "-Werror", "-o",
				output.toString(), source.toString(), "-L" + simulator.getParent(), "-l:" + simulator.getFileName(),
				"-Wl,-rpath," + simulator.getParent(), "-lBlocksRuntime", "-lpthread");
		String failure = XpcSimulator.clang(command, output);
		return (failure != null) ? failure : new XpcCClient(output);
	}

	/**
	 * One call over a new connection to the service, with the parameters {@code {key: value}} (a {@link Long} value
	 * is sent as an int64, anything else as a string).
	 * @return one line per message the client received: {@code message {...}}, {@code event error(...)},
	 * {@code reply {...}} last
	 */
	public String call(String service, String method, String key, Object value, Mode mode) {
		byte[] out = new byte[64 * 1024];
		int result = this.binding.run_client(service, method, key, String.valueOf(value), (value instanceof Long) ? 1 : 0,
				mode.ordinal(), out, out.length);
		if (result != 0) {
			throw new IllegalStateException("the C client's output does not fit " + out.length + " bytes");
		}
		return Native.toString(out, "UTF-8");
	}

	/** How the C client calls. */
	public enum Mode {

		/** One call, one reply. */
		CALL,

		/** {@code more: true}: stream items, then the reply. */
		STREAM,

		/** {@code oneway: true} (no reply expected), then the same call as {@link #CALL}. */
		ONEWAY_THEN_CALL

	}

	/** The C client's one exported function. */
	@SuppressWarnings("checkstyle:MethodName")
	interface Binding extends Library {

		int run_client(String service, String method, String key, String value, int isInt, int mode, byte[] out,
				long outLength);

	}

}
