#!/usr/bin/env bash
# Pressure benchmark in one command (about 3-4 minutes): builds zab, then runs a 3-server zab cluster on
# loopback (one JVM per server, fsync on) under the same write load in five scenarios, each on a fresh cluster:
# healthy, one follower's log fsync 100x slower, the leader's 100x slower, 1 MiB writes pouring into a
# follower, a follower catching up 200 MiB. The results table replaces the one in docs/benchmarks.md
# ("Under pressure"). Extra arguments go to io.zab.bench.cluster.PressureBench, e.g. --scenarios healthy,slow-leader-disk.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -pl zab-bench -am package -DskipTests dependency:build-classpath \
  -DincludeScope=runtime -Dmdep.outputFile="$PWD/zab-bench/target/cluster-classpath.txt"
CP="zab-bench/target/classes:$(cat zab-bench/target/cluster-classpath.txt)"
exec java -Xmx512m -cp "$CP" io.zab.bench.cluster.PressureBench \
  --docs docs/benchmarks.md --command "zab-bench/run-pressure-bench.sh${*:+ $*}" "$@"
