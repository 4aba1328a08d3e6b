#!/usr/bin/env bash
# Whole-process benchmarks of the Peergate Linux transport, side by side in one run (see docs/performance.md).
#
# Builds the benchmark jar (Maven profile "benchmarks") and the Go reference server and load client (varlink Go
# library, GOPATH mode), then for every scenario starts each server, drives it with the SAME Go client for a fixed
# duration after a warm-up, stops it, and finally prints a Markdown table with medians over the rounds and ratios.
#
# Servers:
#   go          varlink Go library reference server (no peer verification)
#   peergate    UnixListener + Gate (real requirement, pidfd + /proc facts) + Dispatcher + Micrometer observations
#   pg-bare     the same without observations (CallObserver.none(), no meters)
#   pg-inline   "peergate" with Ping declared @IpcMethod(blocking = false): it runs on the I/O thread
#   pg-bare-inline  "pg-bare" with the non-blocking Ping
#   raw-netty   Netty epoll, same NUL framing, Jackson parse + reply on the event loop, nothing else
#   grpc-java   gRPC-java (grpc-netty-shaded, epoll, Unix socket), unary bench.Bench/Ping with JSON bytes, handler on
#               gRPC's default executor; no verification. Driven by a Java gRPC load client (GrpcLoadClient), not
#               the Go varlink client: same modes and output, another client
#
# Scenarios:
#   calls-1     sequential Ping calls on one connection: calls/s, p50, p99
#   calls-N     N connections in parallel, each sequential (N = PARALLEL)
#   connects    connect -> gate -> one Ping -> close, from CONNECTORS goroutines: verified connects/s; the Peergate
#               requirement pins uid, executable-path and executable-sha256 of the client binary (warm digest cache)
#
# Environment (defaults in brackets):
#   WARMUP [5s]  DURATION [10s]  ROUNDS [3]  PARALLEL [4]  CONNECTORS [2]
#   CONNECTS_WARMUP [40s]: warm-up of the connects scenario, which runs far more code per operation (channel set-up,
#     native calls, /proc, observations): on 2 cores the JIT compiler is busy for about 30 s of it
#   JAVA [java] (the JVM the Java servers run on, e.g. a JDK 21+ to run handlers on virtual threads)
#   JAVA_OPTS [-Xms256m -Xmx256m]  MVN_FLAGS [-q] (add -o to build offline)  SKIP_BUILD [0]
#   GOCODE [/usr/share/gocode/src] (Debian package golang-github-varlink-go-dev)
#   SERVERS ["go peergate pg-bare raw-netty"]  SCENARIOS ["calls-1 calls-N connects"]
#   BASELINE_JAR: a benchmarks.jar built from another commit; adds server "pg-baseline" (observe, as "peergate")
#   to compare a change before/after in the same run, e.g. SERVERS="pg-baseline peergate"
# Raw results go to benchmarks/results/<time>/ (not tracked).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
target="$here/target"
WARMUP="${WARMUP:-5s}"
CONNECTS_WARMUP="${CONNECTS_WARMUP:-40s}"
DURATION="${DURATION:-10s}"
ROUNDS="${ROUNDS:-3}"
PARALLEL="${PARALLEL:-4}"
CONNECTORS="${CONNECTORS:-2}"
JAVA="${JAVA:-java}"
JAVA_OPTS="${JAVA_OPTS:--Xms256m -Xmx256m}"
MVN_FLAGS="${MVN_FLAGS:--q}"
GOCODE="${GOCODE:-/usr/share/gocode/src}"
SERVERS="${SERVERS:-go peergate pg-bare raw-netty}"
SCENARIOS="${SCENARIOS:-calls-1 calls-N connects}"

results="$here/results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$results"
work="$(mktemp -d)"
server_pid=""
server_name=""
server_in=""

cleanup() {
	stop_server
	rm -rf "$work"
}
trap cleanup EXIT

log() {
	printf '%s\n' "$*" >&2
}

build() {
	log "== building the benchmark jar"
	(cd "$root" && mvn $MVN_FLAGS -Pbenchmarks -pl benchmarks -am package -DskipTests)
	log "== building the Go server and client"
	if [[ ! -d "$GOCODE/github.com/varlink/go/varlink" ]]; then
		log "varlink Go sources not found under $GOCODE (install golang-github-varlink-go-dev or set GOCODE)"
		exit 1
	fi
	local gopath="$work/gopath"
	mkdir -p "$gopath/src" "$target/go"
	for entry in "$GOCODE"/*; do
		ln -s "$entry" "$gopath/src/$(basename "$entry")"
	done
	(cd "$here/src/main/go" \
		&& GOPATH="$gopath" GO111MODULE=off go build -o "$target/go/goserver" ./goserver \
		&& GOPATH="$gopath" GO111MODULE=off go build -o "$target/go/loadclient" ./loadclient)
}

# start_server <name> <scenario>: starts the server on a fresh socket, waits for READY
start_server() {
	local name="$1" scenario="$2"
	socket="$work/$name.sock"
	rm -f "$socket"
	local logfile="$results/$name-$scenario-$round.log"
	local requirement="same-user"
	if [[ "$scenario" == connects ]]; then
		requirement="executable:$target/go/loadclient"
	fi
	server_in="$work/$name.in"
	rm -f "$server_in"
	mkfifo "$server_in"
	case "$name" in
		go) "$target/go/goserver" -address "unix:$socket" <"$server_in" >"$logfile" 2>&1 & ;;
		peergate) "$JAVA" $JAVA_OPTS -cp "$target/benchmarks.jar" dev.peergate.benchmarks.PeergateBenchServer \
			"$socket" "$requirement" observe <"$server_in" >"$logfile" 2>&1 & ;;
		pg-baseline) "$JAVA" $JAVA_OPTS -cp "${BASELINE_JAR:?set BASELINE_JAR for pg-baseline}" \
			dev.peergate.benchmarks.PeergateBenchServer "$socket" "$requirement" observe <"$server_in" >"$logfile" 2>&1 & ;;
		pg-bare) "$JAVA" $JAVA_OPTS -cp "$target/benchmarks.jar" dev.peergate.benchmarks.PeergateBenchServer \
			"$socket" "$requirement" bare <"$server_in" >"$logfile" 2>&1 & ;;
		pg-inline) "$JAVA" $JAVA_OPTS -cp "$target/benchmarks.jar" dev.peergate.benchmarks.PeergateBenchServer \
			"$socket" "$requirement" observe inline <"$server_in" >"$logfile" 2>&1 & ;;
		pg-bare-inline) "$JAVA" $JAVA_OPTS -cp "$target/benchmarks.jar" dev.peergate.benchmarks.PeergateBenchServer \
			"$socket" "$requirement" bare inline <"$server_in" >"$logfile" 2>&1 & ;;
		raw-netty) "$JAVA" $JAVA_OPTS -cp "$target/benchmarks.jar" dev.peergate.benchmarks.RawNettyEchoServer \
			"$socket" <"$server_in" >"$logfile" 2>&1 & ;;
		grpc-java) "$JAVA" $JAVA_OPTS -cp "$target/benchmarks.jar" dev.peergate.benchmarks.GrpcPingServer \
			"$socket" <"$server_in" >"$logfile" 2>&1 & ;;
		*) log "unknown server $name"; exit 1 ;;
	esac
	server_pid=$!
	server_name="$name"
	exec 9>"$server_in" # the Java servers stop when this closes
	for _ in $(seq 300); do
		if grep -q READY "$logfile" && [[ -S "$socket" ]]; then
			return 0
		fi
		if ! kill -0 "$server_pid" 2>/dev/null; then
			log "server $name died:"; cat "$logfile" >&2; exit 1
		fi
		sleep 0.1
	done
	log "server $name did not become ready:"; cat "$logfile" >&2; exit 1
}

stop_server() {
	if [[ -n "$server_pid" ]]; then
		exec 9>&- # the Java servers stop and print their STATS when stdin closes
		if [[ "$server_name" == go ]]; then
			kill -TERM "$server_pid" 2>/dev/null || true
		fi
		for _ in $(seq 100); do
			kill -0 "$server_pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -TERM "$server_pid" 2>/dev/null || true
		wait "$server_pid" 2>/dev/null || true
		server_pid=""
	fi
}

# measure <name> <scenario>: one server, one scenario; appends "scenario server round rate p50 p99 errors ops"
measure() {
	local name="$1" scenario="$2" mode=calls conns=1 warmup="$WARMUP"
	case "$scenario" in
		calls-1) ;;
		calls-N) conns="$PARALLEL" ;;
		connects) mode=connects conns="$CONNECTORS" warmup="$CONNECTS_WARMUP" ;;
	esac
	start_server "$name" "$scenario"
	local line
	if [[ "$name" == grpc-java ]]; then # whole seconds: "40s" -> 40
		line="$("$JAVA" $JAVA_OPTS -cp "$target/benchmarks.jar" dev.peergate.benchmarks.GrpcLoadClient "$socket" \
			"$mode" "$conns" "${warmup%s}" "${DURATION%s}" 2>>"$results/client-errors.log")"
	else
		line="$("$target/go/loadclient" -address "unix:$socket" -mode "$mode" -conns "$conns" \
			-warmup "$warmup" -duration "$DURATION" -tsv 2>>"$results/client-errors.log")"
	fi
	stop_server
	local stats
	stats="$(grep -h STATS "$results/$name-$scenario-$round.log" 2>/dev/null || true)"
	log "   $scenario $name round $round: $line ${stats:+($stats)}"
	printf '%s\t%s\t%s\t%s\n' "$scenario" "$name" "$round" "$line" >>"$results/raw.tsv"
}

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
	build
fi

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
log "== measuring: warm-up $WARMUP (connects $CONNECTS_WARMUP), duration $DURATION, $ROUNDS rounds; load average $load_before"
: >"$results/raw.tsv"
read -r -a servers <<<"$SERVERS"
for round in $(seq "$ROUNDS"); do
	for scenario in $SCENARIOS; do
		# rotate the order each round so drifting background load does not always hit the same server
		count=${#servers[@]}
		for i in $(seq 0 $((count - 1))); do
			measure "${servers[$(((i + round - 1) % count))]}" "$scenario"
		done
	done
done
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

{
	echo "Peergate benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, $(uname -r), $("$JAVA" -version 2>&1 | head -1)"
	echo "warm-up $WARMUP (connects $CONNECTS_WARMUP), measured $DURATION per run, median of $ROUNDS rounds; PARALLEL=$PARALLEL CONNECTORS=$CONNECTORS;"
	echo "load average before $load_before, after $load_after"
	echo
	awk -F'\t' -v servers="$SERVERS" -v scenarios="$SCENARIOS" -v parallel="$PARALLEL" -v connectors="$CONNECTORS" '
		function median(key, field,    n, i, j, t, v) {
			n = count[key]
			for (i = 1; i <= n; i++) v[i] = values[key, i, field]
			for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
			return (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
		}
		{
			key = $1 SUBSEP $2
			count[key]++
			for (f = 4; f <= 8; f++) values[key, count[key], f] = $f
			errors[key] += $7
		}
		END {
			ns = split(servers, s, " "); nc = split(scenarios, c, " ")
			print "| scenario | server | rate /s | p50 µs | p99 µs | errors | rate vs go | per-call time vs raw-netty |"
			print "|---|---|---:|---:|---:|---:|---:|---:|"
			for (i = 1; i <= nc; i++) {
				label = c[i]
				if (c[i] == "calls-1") label = "calls, 1 connection"
				if (c[i] == "calls-N") label = "calls, " parallel " connections"
				if (c[i] == "connects") label = "connect+call+close, " connectors " clients"
				goRate = ((c[i] SUBSEP "go") in count) ? median(c[i] SUBSEP "go", 4) : 0
				rawRate = ((c[i] SUBSEP "raw-netty") in count) ? median(c[i] SUBSEP "raw-netty", 4) : 0
				for (j = 1; j <= ns; j++) {
					key = c[i] SUBSEP s[j]
					if (!(key in count)) continue
					rate = median(key, 4)
					vsGo = (goRate > 0 && rate > 0) ? sprintf("%.2f×", rate / goRate) : "–"
					vsRaw = (rawRate > 0 && rate > 0) ? sprintf("%.2f×", rawRate / rate) : "–"
					printf "| %s | %s | %.0f | %.0f | %.0f | %d | %s | %s |\n", label, s[j], rate, median(key, 5),
						median(key, 6), errors[key], vsGo, vsRaw
				}
			}
		}' "$results/raw.tsv"
} | tee "$results/summary.md"
