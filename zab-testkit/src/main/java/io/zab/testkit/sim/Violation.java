package io.zab.testkit.sim;

/**
 * A broken invariant: which check (named after ZooKeeper's Zab.tla invariants where one applies), on which
 * server (0 for the cluster as a whole), when (simulated microseconds), and what exactly.
 *
 * @param check the invariant broken
 * @param server the server it broke on (0 for the cluster as a whole)
 * @param timeMicros the simulated time it was found
 * @param detail what exactly happened
 */
public record Violation(String check, long server, long timeMicros, String detail) {
  @Override
  public String toString() {
    return String.format("%s violated at t=%.6fs%s: %s", check, timeMicros / 1e6,
        server == 0 ? "" : " on server " + server, detail);
  }
}
