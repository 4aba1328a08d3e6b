package dev.peergate.xpc.jna;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;

/**
 * Builds the libxpc ABI simulator ({@code src/test/c/xpcsim/xpcsim.c}) with clang once per test run into
 * {@code target/xpcsim/} and loads it through the production bindings: only the library path differs. Tests are
 * skipped with the reason when clang or libBlocksRuntime is missing.
 *
 * <pre>{@code
 * XpcSimulator sim = XpcSimulator.current();
 * XpcNative nativeXpc = sim.nativeXpc();
 * assertThat(sim.control().xpcsim_live_objects()).isZero();
 * }</pre>
 */
public final class XpcSimulator {

	/**
	 * Variants: the full simulator (macOS 26 symbol set), one without any symbol newer than macOS 11, and one with
	 * the symbol set of macOS 10.15 (no SecCodeCreateWithXPCMessage either).
	 */
	public enum Variant {

		FULL("libxpcsim.so", List.of()), LEGACY_11("libxpcsim-legacy.so", List.of("-DXPCSIM_LEGACY")),
		CATALINA("libxpcsim-catalina.so", List.of("-DXPCSIM_LEGACY", "-DXPCSIM_CATALINA"));

		final String file;

		final List<String> defines;

		Variant(String file, List<String> defines) {
			this.file = file;
			this.defines = defines;
		}

	}

	private static final Map<Variant, Object> BUILT = new ConcurrentHashMap<>();

	private final Path library;

	private final Control control;

	private XpcSimulator(Path library) {
		this.library = library;
		this.control = Native.load(library.toString(), Control.class,
				Map.of(Library.OPTION_STRING_ENCODING, "UTF-8"));
	}

	/** The full simulator, built on first use; skips the calling test when it cannot be built. */
	public static XpcSimulator current() {
		return of(Variant.FULL);
	}

	/** A simulator variant, built on first use. */
	public static synchronized XpcSimulator of(Variant variant) {
		// On a Mac the real libxpc is there: what both can run is in the XpcSpecification suite, which runs there
		// for real; what needs the simulator's controls (forced macOS versions, injected identities, PID reuse,
		// leak counters) is verified on Linux.
		Assumptions.assumeFalse(org.junit.jupiter.api.condition.OS.MAC.isCurrentOs(),
				"needs the libxpc ABI simulator's controls (forced macOS versions, injected identities, leak "
						+ "counters): Linux only; on macOS the @XpcSpecification suite runs against the real libxpc");
		Object built = BUILT.computeIfAbsent(variant, XpcSimulator::build);
		Assumptions.assumeTrue(built instanceof XpcSimulator,
				() -> "libxpc ABI simulator unavailable: " + built);
		return (XpcSimulator) built;
	}

	private static Object build(Variant variant) {
		Path source = Paths.get("src/test/c/xpcsim/xpcsim.c").toAbsolutePath();
		Path output = Paths.get("target/xpcsim").toAbsolutePath().resolve(variant.file);
		List<String> command = new ArrayList<>(List.of("clang", "-fblocks", "-shared", "-fPIC", "-O1", "-g"));
		command.addAll(variant.defines);
		// -Bsymbolic: JNA dlopens with RTLD_GLOBAL, and the two variants export the same symbols; without it
		// one variant's code would bind to the other's constants and functions.
		command.addAll(List.of("-Wl,-Bsymbolic", "-o", output.toString(), source.toString(), "-lBlocksRuntime",
				"-lpthread"));
		String failure = clang(command, output);
		return (failure != null) ? failure : new XpcSimulator(output);
	}

	/**
	 * Runs clang to build {@code output}.
	 * @return {@code null} when built, otherwise why not
	 */
	static @Nullable String clang(List<String> command, Path output) {
		try {
			Files.createDirectories(output.getParent());
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String log = new String(process.getInputStream().readAllBytes());
			if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
				return "clang failed (is libblocksruntime-dev installed?): " + log;
			}
			return null;
		}
		catch (IOException ex) {
			return "clang not found: " + ex.getMessage();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "interrupted";
		}
	}

	/** The simulator's shared object. */
	public Path library() {
		return this.library;
	}

	/** The library paths that make production code load the simulator. */
	public NativeLibraries libraries() {
		return NativeLibraries.from(Map.of(NativeLibraries.ALL_PROPERTY, this.library.toString()));
	}

	/** The production native side, bound to the simulator. */
	public XpcNative nativeXpc() {
		return XpcNative.load(libraries());
	}

	/** The simulator's test-only control functions. */
	public Control control() {
		return this.control;
	}

	/** Native calls {@link XpcValues#toXpc} makes for the value (encoded, then released uncounted). */
	public long encodeCrossings(Object value) {
		long before = this.control.xpcsim_native_calls();
		Pointer object = nativeXpc().values().toXpc(value);
		long count = this.control.xpcsim_native_calls() - before;
		nativeXpc().xpc().xpc_release(object);
		return count;
	}

	/** Native calls {@link XpcValues#fromXpc} makes to decode the value. */
	public long decodeCrossings(Object value) {
		Pointer object = nativeXpc().values().toXpc(value);
		try {
			long before = this.control.xpcsim_native_calls();
			nativeXpc().values().fromXpc(object);
			return this.control.xpcsim_native_calls() - before;
		}
		finally {
			nativeXpc().xpc().xpc_release(object);
		}
	}

	/** Registers a Mach service name, as a launchd plist would. */
	public XpcSimulator service(String name) {
		this.control.xpcsim_register_service(name);
		return this;
	}

	/** Sets the simulated macOS version. */
	public XpcSimulator macOs(String version) {
		this.control.xpcsim_set_os_version(version);
		return this;
	}

	/**
	 * This process's own signature as {@code SecCodeCopySelf} reports it.
	 * @param identifier signing identifier
	 * @param team team identifier, {@code ""} for an unsigned or ad-hoc signed process
	 */
	public XpcSimulator selfSignature(String identifier, String team) {
		this.control.xpcsim_set_self_signature(identifier, team);
		return this;
	}

	/** Makes the next client connections present this identity. */
	public XpcSimulator nextPeer(SimPeer peer) {
		this.control.xpcsim_set_client_identity(peer.euid(), peer.egid(), peer.pid(), peer.identifier(), peer.team(),
				peer.cdhash(), peer.leafOu(), peer.entitlements(), peer.platform() ? 1 : 0, peer.valid() ? 1 : 0,
				peer.category());
		return this;
	}

	/**
	 * Makes the next client connections present this identity with an Info.plist and a certificate chain.
	 * @param peer the identity
	 * @param info Info.plist entries, typed like the entitlements ({@code CFBundleVersion=s:1.2})
	 * @param certificates DER certificates, leaf first (at most three)
	 */
	public XpcSimulator nextPeer(SimPeer peer, String info, List<byte[]> certificates) {
		nextPeer(peer);
		java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
		long[] lengths = new long[Math.max(1, certificates.size())];
		for (int i = 0; i < certificates.size(); i++) {
			all.writeBytes(certificates.get(i));
			lengths[i] = certificates.get(i).length;
		}
		byte[] bytes = (all.size() > 0) ? all.toByteArray() : new byte[1];
		this.control.xpcsim_set_client_signature_details(info, bytes, lengths, certificates.size());
		return this;
	}

	/** A DER certificate of the test resources ({@code dev/peergate/xpc/certificates/<name>.der}). */
	public static byte[] certificate(String name) {
		try (java.io.InputStream in = XpcSimulator.class
			.getResourceAsStream("/dev/peergate/xpc/certificates/" + name + ".der")) {
			if (in == null) {
				throw new IllegalArgumentException("No test certificate " + name);
			}
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	/**
	 * Simulates PID reuse: when the next message from the successor's PID reaches the service, its sender exits and
	 * a new process with the successor's facts takes the PID, after the message was sent and before it is verified.
	 */
	public XpcSimulator reusePidOnNextMessage(SimPeer successor) {
		nextPeer(successor);
		this.control.xpcsim_reuse_pid_on_next_message(successor.pid());
		return this;
	}

	/**
	 * Simulates PID reuse inside the service's check: right after Security locates the code of the process holding
	 * the successor's PID, that process exits and a new one with the successor's facts takes the PID, so the code
	 * object is stale when its validity is checked.
	 */
	public XpcSimulator reusePidAfterNextCodeLookup(SimPeer successor) {
		nextPeer(successor);
		this.control.xpcsim_reuse_pid_after_next_code_lookup(successor.pid());
		return this;
	}

	/**
	 * Whether {@code xpc_rich_error_copy_description} can describe a rich error; without, it returns {@code NULL}
	 * as its header allows.
	 */
	public XpcSimulator richErrorDescriptions(boolean available) {
		this.control.xpcsim_rich_error_descriptions(available ? 1 : 0);
		return this;
	}

	/**
	 * A simulated peer's facts.
	 *
	 * @param euid effective uid
	 * @param egid effective gid
	 * @param pid pid
	 * @param identifier signing identifier
	 * @param team team identifier ("" for ad-hoc)
	 * @param cdhash cdhash hex
	 * @param leafOu leaf certificate subject OU ("" for ad-hoc)
	 * @param entitlements comma-separated {@code name} (the bool true) or {@code name=value}, the value typed by a
	 * prefix: {@code b:true}/{@code b:false} bool, {@code i:42} int64, {@code s:text} (or no prefix) string
	 * @param platform Apple platform binary
	 * @param valid signature valid
	 * @param category LWCR validation category
	 */
	public record SimPeer(int euid, int egid, int pid, String identifier, String team, String cdhash, String leafOu,
			String entitlements, boolean platform, boolean valid, int category) {

		/** A Developer ID signed CLI of team ABCDE12345. */
		public static SimPeer teamCli() {
			return new SimPeer(501, 20, 4242, "com.example.cli", "ABCDE12345",
					"0123456789abcdef0123456789abcdef01234567", "ABCDE12345", "com.example.helper.client", false, true,
					6);
		}

		/** The same peer with another PID. */
		public SimPeer withPid(int pid) {
			return new SimPeer(this.euid, this.egid, pid, this.identifier, this.team, this.cdhash, this.leafOu,
					this.entitlements, this.platform, this.valid, this.category);
		}

		/** A program signed by another team. */
		public static SimPeer stranger() {
			return new SimPeer(502, 20, 4343, "com.evil.tool", "XYZ9876543", "fedcba9876543210fedcba9876543210fedcba98",
					"XYZ9876543", "", false, true, 6);
		}

		/** The same identifier as teamCli but an invalid signature. */
		public static SimPeer tampered() {
			return new SimPeer(501, 20, 4444, "com.example.cli", "ABCDE12345",
					"0123456789abcdef0123456789abcdef01234567", "ABCDE12345", "", false, false, 6);
		}

	}

	/** Test-only control functions exported by the simulator (never bound by production code). */
	@SuppressWarnings("checkstyle:MethodName")
	public interface Control extends Library {

		long xpcsim_live_objects();

		long xpcsim_live_blocks();

		long xpcsim_live_cf();

		long xpcsim_live_queues();

		/** fd objects alive, each holding a descriptor of its own. */
		long xpcsim_live_fds();

		long xpcsim_native_calls();

		void xpcsim_set_os_version(String version);

		void xpcsim_register_service(String name);

		void xpcsim_register_system_service(String name);

		void xpcsim_set_self_team(String team);

		void xpcsim_set_self_signature(String identifier, String team);

		void xpcsim_set_service_identity(String identifier, String team, String leafOu);

		void xpcsim_set_client_identity(int euid, int egid, int pid, String identifier, String team, String cdhash,
				String leafOu, String entitlements, int platform, int valid, int category);

		void xpcsim_set_client_signature_details(String info, byte[] certificates, long[] lengths, int count);

		void xpcsim_interrupt_client(Pointer client);

		void xpcsim_reuse_pid_on_next_message(int pid);

		void xpcsim_rich_error_descriptions(int enabled);

		void xpcsim_reuse_pid_after_next_code_lookup(int pid);

		long xpcsim_live_authorizations();

		long xpcsim_authorization_interactions();

		void xpcsim_set_authentication_answer(int authenticate);

		void xpcsim_add_group_member(String group, int gid, int uid);

		void xpcsim_reset_rights();

	}

}
