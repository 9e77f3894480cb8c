package io.zab.nemesis;

import java.nio.file.Path;
import java.util.List;

/**
 * How one run goes.
 *
 * @param runId unique per run: names every namespace, link and bridge (1-6 lowercase letters or digits)
 * @param seed drives the fault schedule and the workload's choices
 * @param rounds fault rounds to run (0: until {@code minPartitions} partitions, unless {@code minutes} is set)
 * @param minutes stop starting rounds after this long (0: no time limit)
 * @param minPartitions with neither rounds nor minutes: run until this many partition events
 * @param selfTest plant a stale read and a lost write, and pass only if the checks catch exactly those
 * @param dir where the servers' data and logs, the history and the run log go
 * @param java the JVM that runs the servers
 * @param classpath the servers' class path
 * @param serverJvmOptions options of the servers' JVMs
 * @param snapshotEvery the servers' snapshot interval in txns (small, so the snapshot fault is quick)
 * @param clientsPerNode workload clients per server
 * @param membership whether the schedule has membership faults (leadership transfers, remove and re-add)
 * @param logSegmentBytes the servers' log segment size (small, so that segments are recycled under the faults)
 */
record RunSettings(String runId, long seed, int rounds, double minutes, int minPartitions, boolean selfTest, Path dir,
    String java, String classpath, List<String> serverJvmOptions, int snapshotEvery, int clientsPerNode,
    boolean membership, long logSegmentBytes) {

  static final int NODES = 3;

  /** Whether another round may start after {@code elapsedMillis} with {@code roundsDone} and {@code partitions}. */
  boolean moreRounds(int roundsDone, int partitions, long elapsedMillis) {
    if (rounds > 0 && roundsDone >= rounds) {
      return false;
    }
    if (minutes > 0 && elapsedMillis >= minutes * 60_000) {
      return false;
    }
    return rounds > 0 || minutes > 0 || partitions < minPartitions;
  }
}
