package io.zab.testkit.sim;

import io.zab.testkit.lin.LinearizabilityResult;
import java.util.List;

/**
 * The outcome of one randomized run.
 *
 * @param seed the seed that replays it
 * @param servers cluster size
 * @param events simulation steps executed
 * @param faults faults injected
 * @param simMicros simulated time covered
 * @param violations invariant violations (the run stops at the first)
 * @param linearizability the verdict on the client history (null if the run stopped at a violation)
 * @param clientOps operations in the client history
 * @param traceHash fingerprint of every step: equal for two runs of one seed
 * @param trace the last steps, readable (only kept when something failed)
 * @param culpritMicros when the answer that broke linearizability was given (-1 if none)
 * @param refusedServers servers whose start was refused (lost or stale epoch files) and that stayed down
 * @param profile the load besides faults (slow servers, small limits, bursts)
 * @param changesAsked membership changes asked (reconfigurations and leadership transfers; 0 without them)
 * @param changesCompleted of those, the ones that completed
 * @param strandedMembers servers that missed a change adding a member and learned its address from election
 *     notifications (issue 11, stranded members); like every member, they had to rejoin for the run to converge
 * @param unreachableMembers members of the final configuration with no server that they list and that lists them, so
 *     nothing can reach them (every server they knew was removed while they were away); not waited for
 * @param logDamages logs damaged in the middle (each repaired from the ensemble)
 * @param snapshotDamages newest snapshots damaged (each server restarted from an older one, repaired from the ensemble)
 */
public record RunResult(long seed, int servers, long events, long faults, long simMicros, List<Violation> violations,
    LinearizabilityResult linearizability, int clientOps, long traceHash, String trace, long culpritMicros,
    int refusedServers, PressureProfile profile, int changesAsked, int changesCompleted, int strandedMembers,
    int unreachableMembers, long logDamages, long snapshotDamages) {

  RunResult withTrace(String t) {
    return new RunResult(seed, servers, events, faults, simMicros, violations, linearizability, clientOps, traceHash, t,
        culpritMicros, refusedServers, profile, changesAsked, changesCompleted, strandedMembers,
        unreachableMembers, logDamages, snapshotDamages);
  }

  String traceSteps() {
    return trace == null ? "" : trace;
  }

  /**
   * Whether the run broke an invariant or its client history is not linearizable.
   *
   * @return true if the run failed
   */
  public boolean failed() {
    return !violations.isEmpty() || (linearizability != null && linearizability.illegal());
  }

  /**
   * The command, run from the repository's root, that replays {@code seed} and prints its trace.
   *
   * @param seed the seed to replay
   * @return the shell command
   */
  public static String replayCommand(long seed) {
    return "./mvnw -pl zab-testkit -am verify -Dtest=RandomizedSimulationTest -Dzab.sim.seed=" + seed
        + " -Dsurefire.failIfNoSpecifiedTests=false";
  }

  /**
   * The command, run from the repository's root, that draws {@code seed}'s timeline (see TimelineCommand).
   *
   * @param seed the seed to draw
   * @return the shell command
   */
  public static String timelineCommand(long seed) {
    return "./mvnw -q -pl zab-testkit -am package -DskipTests -Dzab.timeline.seed=" + seed;
  }

  /**
   * A readable report: the seed, how to replay it, what broke and the last steps.
   *
   * @return the report, several lines
   */
  public String report() {
    StringBuilder sb = new StringBuilder();
    sb.append("seed ").append(seed).append(" (").append(servers).append(" servers, ").append(events)
        .append(" events, trace hash ").append(Long.toHexString(traceHash)).append(") FAILED; replay with: ")
        .append(replayCommand(seed)).append('\n')
        .append("  its timeline: ").append(timelineCommand(seed)).append('\n')
        .append("  ").append(profile.describe()).append('\n');
    violations.forEach(v -> sb.append("  ").append(v).append('\n'));
    if (linearizability != null && linearizability.illegal()) {
      sb.append("  Linearizability violated: ").append(linearizability.describe(40));
    }
    if (trace != null) {
      sb.append("  last steps:\n").append(trace);
    }
    return sb.toString();
  }
}
