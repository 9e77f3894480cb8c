#!/usr/bin/env bash
# Builds zab-core and zab-transport-netty of another commit (default: main) for a before/after comparison in one
# run of the cluster benchmark, and prints their jars as one path list for --baseline-jars:
#   zab-bench/run-cluster-bench.sh --systems ceiling,zab-base,zab --baseline-jars "$(zab-bench/build-baseline.sh 47416cc)"
# The sources come from `git archive` into zab-bench/target/baseline/<commit>; nothing is installed into ~/.m2.
set -euo pipefail
cd "$(dirname "$0")/.."
commit=$(git rev-parse --short "${1:-main}")
dir="$PWD/zab-bench/target/baseline/$commit"
if [ ! -f "$dir/zab-transport-netty/target/zab-transport-netty-0.1.0-SNAPSHOT.jar" ]; then
  rm -rf "$dir" && mkdir -p "$dir"
  git archive "$commit" | tar -x -C "$dir"
  (cd "$dir" && ./mvnw -q -o -pl zab-transport-netty -am package -DskipTests >&2)
fi
echo "$dir/zab-core/target/zab-core-0.1.0-SNAPSHOT.jar:$dir/zab-transport-netty/target/zab-transport-netty-0.1.0-SNAPSHOT.jar"
