#!/usr/bin/env bash
# Per-thread cost of one call (docs/performance.md, "The hand-off to blocking handlers"): starts a Peergate bench
# server from a benchmarks.jar, drives it with the Go load client in calls mode, and prints, per thread name, the CPU
# time (user, kernel) and the voluntary/involuntary context switches per call over the measured part, read from
# /proc/<pid>/task/*/{stat,status}. Needs benchmarks/target/go/loadclient (benchmarks/run.sh builds it).
#
#   benchmarks/thread-costs.sh <benchmarks.jar> observe|bare inline|"" <connections> [JVM options...]
#   benchmarks/thread-costs.sh benchmarks/target/benchmarks.jar observe "" 1
#   MODE=connects WARMUP=40 benchmarks/thread-costs.sh benchmarks/target/benchmarks.jar observe "" 2
# MODE=connects drives the connects scenario of run.sh (requirement: the load client's uid, path and digest);
# WARMUP is in seconds (default 6).
set -u # CPU times are read in clock ticks of 10 ms (USER_HZ 100)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
jar=$1; obs=$2; inl=$3; conns=$4; shift 4
G="$(cd "$(dirname "$0")" && pwd)/target/go"
sock=$work/p.sock; rm -f $sock; fifo=$work/in; rm -f $fifo; mkfifo $fifo
mode=${MODE:-calls}; warmup=${WARMUP:-6}
requirement=same-user; [[ $mode == connects ]] && requirement="executable:$G/loadclient"
java -Xms256m -Xmx256m "$@" -cp $jar dev.peergate.benchmarks.PeergateBenchServer $sock $requirement $obs $inl <$fifo >$work/server.log 2>&1 &
pid=$!
exec 9>$fifo
for i in $(seq 100); do grep -q READY $work/server.log && break; sleep 0.1; done
snap() { for t in /proc/$pid/task/*; do n=$(tr " " _ <$t/comm); s=($(cut -d')' -f2 $t/stat)); v=$(grep ^voluntary $t/status|awk '{print $2}'); nv=$(grep ^nonvol $t/status|awk '{print $2}'); echo "$(basename $t) $n ${s[11]} ${s[12]} $v $nv"; done; }
( sleep $warmup; snap > $work/s1 ) &
line=$($G/loadclient -address unix:$sock -mode $mode -conns $conns -warmup ${warmup}s -duration 8s -tsv)
wait %2 2>/dev/null
snap > $work/s2
echo "RESULT $line"
ops=$(echo "$line" | cut -f5)
join <(sort $work/s1) <(sort $work/s2) | awk -v ops=$ops '{n=$2; sub(/-[0-9]+$/,"",n); ut[n]+=$8-$3; st[n]+=$9-$4; vc[n]+=$10-$5; nv[n]+=$11-$6; c[n]++} END {for (n in ut) if (ut[n]+st[n]>5 || vc[n]>1000) printf "%-28s x%d cpu_us/op=%.1f (u %.1f s %.1f) vcsw/op=%.2f ivcsw/op=%.2f\n", n, c[n], (ut[n]+st[n])*10000/ops, ut[n]*10000/ops, st[n]*10000/ops, vc[n]/ops, nv[n]/ops}'
exec 9>&-
wait $pid
