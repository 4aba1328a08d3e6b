package dev.peergate.unix;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.json.JsonMapper;

/**
 * An attacker in its own process, by default as user {@code nobody} ({@code setpriv}): the system Python runs one
 * strategy against the socket for a given time and prints what it saw as JSON.
 * <ul>
 * <li>{@code reconnect}: {@code connections} threads each connect, send one call, read until the server closes,
 * and connect again at once — how a refused user keeps slots busy.</li>
 * <li>{@code hold}: keeps {@code connections} connections open without sending anything, reopening any the
 * server closes.</li>
 * <li>{@code trickle}: keeps {@code connections} connections, each sending one byte of a call every 200 ms, never
 * finishing it (slowloris), reopening any the server closes.</li>
 * <li>{@code oneway}: keeps {@code connections} connections, each sending 16 oneway {@code Tick} streams that
 * would run for minutes every 200 ms (refilling what the server dropped or ended), never reading.</li>
 * </ul>
 * The printed result counts {@code connects}, {@code refusedConnects} (connect itself failed) and
 * {@code closedByServer}.
 */
final class HostilePeer {

	static final long NOBODY = 65534;

	private static final String SCRIPT = """
			import json, os, select, socket, sys, threading, time
			path, mode, n, seconds, method = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
			end = time.time() + seconds
			stats = {"connects": 0, "refusedConnects": 0, "closedByServer": 0}
			lock = threading.Lock()
			def count(key):
			    with lock:
			        stats[key] += 1
			def connect():
			    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
			    try:
			        s.connect(path)
			    except OSError:
			        s.close()
			        count("refusedConnects")
			        time.sleep(0.01)
			        return None
			    count("connects")
			    return s
			CALL = json.dumps({"method": method, "parameters": {"text": "let me in"}}).encode() + b"\\0"
			def reconnect():
			    while time.time() < end:
			        s = connect()
			        if s is None:
			            continue
			        try:
			            s.sendall(CALL)
			            s.settimeout(max(0.1, end - time.time()))
			            while s.recv(65536):
			                pass
			            count("closedByServer")
			        except OSError:
			            count("closedByServer")
			        finally:
			            s.close()
			ONEWAY = b'{"method":"dev.peergate.test.Tick","parameters":{"millis":100000},"oneway":true}\\0' * 16
			def keep(trickle):
			    conns = {}
			    while time.time() < end:
			        while len(conns) < n and time.time() < end:
			            s = connect()
			            if s is None:
			                break
			            conns[s] = 0
			            if mode == "oneway":
			                s.sendall(ONEWAY)
			        readable = select.select(list(conns), [], [], 0.2)[0] if conns else []
			        for s in readable:
			            try:
			                data = s.recv(65536)
			            except OSError:
			                data = b""
			            if not data:
			                count("closedByServer")
			                del conns[s]
			                s.close()
			        if mode == "oneway":
			            for s in list(conns):
			                try:
			                    s.sendall(ONEWAY)
			                except OSError:
			                    count("closedByServer")
			                    del conns[s]
			                    s.close()
			        if trickle:
			            for s in list(conns):
			                try:
			                    s.send(CALL[conns[s] % (len(CALL) - 1):][:1])
			                    conns[s] += 1
			                except OSError:
			                    count("closedByServer")
			                    del conns[s]
			                    s.close()
			    for s in conns:
			        s.close()
			if mode == "reconnect":
			    threads = [threading.Thread(target=reconnect) for _ in range(n)]
			    for t in threads: t.start()
			    for t in threads: t.join()
			else:
			    keep(mode == "trickle")
			print(json.dumps(stats))
			""";

	private final Process process;

	private final List<String> command;

	private HostilePeer(Process process, List<String> command) {
		this.process = process;
		this.command = command;
	}

	/** Starts the strategy as user {@code nobody}, for {@code duration}, calling Echo. */
	static HostilePeer start(Path socket, String mode, int connections, Duration duration) throws IOException {
		return start(socket, mode, connections, duration, "dev.peergate.test.Echo");
	}

	/** Starts the strategy as user {@code nobody}, for {@code duration}, calling {@code method}. */
	static HostilePeer start(Path socket, String mode, int connections, Duration duration, String method)
			throws IOException {
		List<String> command = new ArrayList<>(List.of(PythonPeer.SETPRIV, "--reuid=" + NOBODY, "--regid=" + NOBODY,
				"--clear-groups", PythonPeer.PYTHON, "-c", SCRIPT, socket.toString(), mode, Integer.toString(connections),
				Double.toString(duration.toMillis() / 1000.0), method));
		Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
		return new HostilePeer(process, command);
	}

	/** Waits for the attack to end and returns its counts. */
	@SuppressWarnings("unchecked")
	Map<String, Integer> await() throws IOException, InterruptedException {
		try {
			if (!this.process.waitFor(60, TimeUnit.SECONDS)) {
				throw new IllegalStateException("attacker did not finish: " + this.command);
			}
			String out = new String(this.process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
			if (this.process.exitValue() != 0) {
				throw new IllegalStateException("attacker failed with " + this.process.exitValue() + ": " + out);
			}
			return JsonMapper.builder().build().readValue(out, Map.class);
		}
		finally {
			this.process.destroyForcibly();
		}
	}

}
