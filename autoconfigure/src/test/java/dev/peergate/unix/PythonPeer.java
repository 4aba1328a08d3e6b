package dev.peergate.unix;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.json.JsonMapper;

/**
 * A peer in its own process: the system Python connects to the socket, sends one NUL-terminated varlink call and
 * prints the reply. Optionally runs under another uid/gid/groups or with {@code no_new_privs} ({@code setpriv}),
 * first moves itself into a cgroup, or installs a seccomp filter.
 */
final class PythonPeer {

	static final String PYTHON = "/usr/bin/python3";

	static final String SETPRIV = "/usr/bin/setpriv";

	private static final String SCRIPT = """
			import json, os, socket, sys
			path, method, cgroup, seccomp = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
			if cgroup:
			    with open(cgroup, "w") as f:
			        f.write(str(os.getpid()))
			if seccomp:
			    # An allow-all filter (BPF_RET|BPF_K SECCOMP_RET_ALLOW): PR_SET_SECCOMP, SECCOMP_MODE_FILTER.
			    import ctypes
			    class F(ctypes.Structure):
			        _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte), ("jf", ctypes.c_ubyte), ("k", ctypes.c_uint)]
			    class P(ctypes.Structure):
			        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(F))]
			    allow = (F * 1)(F(0x06, 0, 0, 0x7fff0000))
			    libc = ctypes.CDLL(None, use_errno=True)
			    if libc.prctl(22, 2, ctypes.byref(P(1, allow)), 0, 0) != 0:
			        raise OSError(ctypes.get_errno(), "PR_SET_SECCOMP")
			s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
			s.connect(path)
			s.sendall(json.dumps({"method": method, "parameters": {"text": "hi"}}).encode() + b"\\0")
			buf = b""
			while b"\\0" not in buf:
			    chunk = s.recv(65536)
			    if not chunk:
			        break
			    buf += chunk
			print(buf.split(b"\\0")[0].decode())
			""";

	private final List<String> prefix = new ArrayList<>();

	private String cgroupProcs = "";

	private String seccomp = "";

	static PythonPeer asCurrentUser() {
		return new PythonPeer();
	}

	/** Runs as uid/gid with no supplementary groups, or with exactly {@code groups}. */
	static PythonPeer as(long uid, long gid, long... groups) {
		PythonPeer peer = new PythonPeer();
		peer.prefix.addAll(List.of(SETPRIV, "--reuid=" + uid, "--regid=" + gid));
		if (groups.length == 0) {
			peer.prefix.add("--clear-groups");
		}
		else {
			StringBuilder list = new StringBuilder();
			for (long group : groups) {
				list.append((list.length() > 0) ? "," : "").append(group);
			}
			peer.prefix.add("--groups=" + list);
		}
		return peer;
	}

	/**
	 * Runs with only the real uid changed to {@code uid}; the effective and saved uid stay ours (root in CI): how a
	 * setuid-root program started by {@code uid} looks.
	 */
	static PythonPeer withRealUid(long uid) {
		PythonPeer peer = new PythonPeer();
		peer.prefix.addAll(List.of(SETPRIV, "--ruid=" + uid));
		return peer;
	}

	/** Sets {@code no_new_privs} before the peer starts ({@code setpriv --no-new-privs}). */
	PythonPeer withNoNewPrivs() {
		if (this.prefix.isEmpty()) {
			this.prefix.add(SETPRIV);
		}
		this.prefix.add("--no-new-privs");
		return this;
	}

	/** Installs an allow-all seccomp filter before the peer connects: its seccomp mode becomes 2 (filter). */
	PythonPeer withSeccompFilter() {
		this.seccomp = "filter";
		return this;
	}

	/** Moves the peer into the cgroup whose {@code cgroup.procs} is given before it connects. */
	PythonPeer inCgroup(Path cgroupProcs) {
		this.cgroupProcs = cgroupProcs.toString();
		return this;
	}

	/** Runs the peer, returning its decoded reply (empty map if it printed nothing). */
	@SuppressWarnings("unchecked")
	Map<String, Object> call(Path socket, String method) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(this.prefix);
		command.addAll(List.of(PYTHON, "-c", SCRIPT, socket.toString(), method, this.cgroupProcs,
				this.seccomp));
		Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
		try {
			if (!process.waitFor(30, TimeUnit.SECONDS)) {
				throw new IllegalStateException("peer did not finish: " + command);
			}
			String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
			if (process.exitValue() != 0) {
				throw new IllegalStateException("peer failed with " + process.exitValue() + ": " + out);
			}
			return out.isEmpty() ? Map.of() : JsonMapper.builder().build().readValue(out, Map.class);
		}
		finally {
			process.destroyForcibly();
		}
	}

}
