#!/usr/bin/env bash
# Cluster benchmark in one command (about 17 minutes; every step warms up 20 s, see below): builds zab and
# ZooKeeper's separate classpath, then measures the fsync ceiling, a 3-server ZooKeeper 3.9.5 ensemble and zab
# clusters of 3, 5 and 7 servers on loopback, with the floors beside zab's steps.
# Results: docs/bench-results/cluster.{json,md,*.svg}; the table in docs/benchmarks-cluster.md is replaced.
# Extra arguments go to io.zab.bench.cluster.ClusterBench, e.g. --systems zookeeper --measure-ms 3000.
# Warm-up: 20 s per step by default (--warmup-ms): with 3 s the server JVMs were still JIT-compiling in the window
# and zab showed under half its steady throughput; the report warns of any step whose JIT compiler threads used more
# than 10% of the servers' CPU in the window. Nothing in CI runs this script (.ci/run runs ./mvnw verify only).
# BASELINE=<commit> also builds that commit's zab-core and zab-transport-netty (zab-bench/build-baseline.sh) and
# passes them as --baseline-jars, so that e.g. --systems ceiling,zab-base,zab compares it with this tree in one run.
# More zab systems of this tree: zab-prealloc / zab-noprealloc (log preallocation on / off), zab-recycle (log
# segment recycling on), zab-1jvm (the whole cluster in one JVM, for its memory).
# zab's in-process load submits through ZabNode.submitWithoutCopy where the build has it (InProcessSubmit);
# ZAB_BENCH_SUBMIT_COPY=1 makes it use ZabNode.submit, which copies every payload, to measure that copy.
# ZAB_BENCH_SLOW_WRITES=<dir> logs every write and every log fsync slower than ZAB_BENCH_SLOW_MS (default 4) into
# <dir> (StallLog), for zab-bench/tail-causes.py, which says what each slow write overlapped (slow fsync, GC pause).
# ZAB_BENCH_LOG_SEGMENT_MIB=<n> gives every zab server n MiB log segments (default 64), e.g. so that a short run
# rolls and recycles segments often enough to measure.
# Floors measured beside zab in the same run (docs/benchmarks.md "Floors measured beside the run"): on 3 servers, one
# in flight interleaved with its fsync + cross-process round-trip floor (--floor-step 1x1024, --floor-slice-ms 500,
# --floor-rounds 16; --floor-step "" skips it); right after zab's in-process steps on 3 servers, three logs
# group-committing on this disk at once, closed loop (--disk-quorum-steps 1x1024,256x1024, "" skips it) and at
# the rate zab had just reached; on every size, open-loop steps at a fixed rate (--rate-steps 5000x1024) for the
# CPU per write at equal throughput.
set -euo pipefail
cd "$(dirname "$0")/.."
# build-classpath runs for every reactor module in order; zab-bench comes last, so its runtime classpath is
# what the file holds in the end.
./mvnw -q -pl zab-bench -am package -DskipTests dependency:build-classpath \
  -DincludeScope=runtime -Dmdep.outputFile="$PWD/zab-bench/target/cluster-classpath.txt"
./mvnw -q -f zab-bench/zk-deps/pom.xml package
CP="zab-bench/target/classes:$(cat zab-bench/target/cluster-classpath.txt)"
BASE=()
if [ -n "${BASELINE:-}" ]; then
  BASE=(--baseline-jars "$(zab-bench/build-baseline.sh "$BASELINE")")
fi
exec java -Xmx256m -cp "$CP" io.zab.bench.cluster.ClusterBench \
  --out docs/bench-results --docs docs/benchmarks-cluster.md \
  --command "${BASELINE:+BASELINE=$BASELINE }zab-bench/run-cluster-bench.sh${*:+ $*}" "${BASE[@]}" "$@"
