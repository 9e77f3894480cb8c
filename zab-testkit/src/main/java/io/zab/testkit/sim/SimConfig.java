package io.zab.testkit.sim;

import io.zab.StateMachine;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Everything that defines a simulated cluster; with the seed it determines the run exactly.
 *
 * @param servers number of voting servers, ids 1..servers
 * @param seed the seed of the one random source every decision draws from
 * @param tickMicros simulated microseconds per core tick
 * @param network link latencies and connection behaviour
 * @param fsyncMinMicros shortest simulated fsync
 * @param fsyncMaxMicros longest simulated fsync
 * @param diskFaults correct disk, or a deliberately buggy one
 * @param snapshotEvery take a snapshot after this many applied txns (0: never)
 * @param protocol builds each server's protocol core
 * @param stateMachines makes each server's state machine
 * @param uniquePayloads whether every submitted payload is distinct (enables stricter Integrity checks)
 */
public record SimConfig(int servers, long seed, long tickMicros, NetworkModel network, long fsyncMinMicros,
    long fsyncMaxMicros, DiskFaults diskFaults, int snapshotEvery, ProtocolFactory protocol,
    Supplier<? extends StateMachine> stateMachines, boolean uniquePayloads) {
  public SimConfig {
    if (servers < 1 || servers > 64) {
      throw new IllegalArgumentException("servers must be in [1, 64]: " + servers);
    }
    if (tickMicros <= 0 || fsyncMinMicros < 0 || fsyncMaxMicros < fsyncMinMicros) {
      throw new IllegalArgumentException("bad timing: tick=" + tickMicros + "us fsync=[" + fsyncMinMicros + ", "
          + fsyncMaxMicros + "]us");
    }
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(diskFaults, "diskFaults");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(stateMachines, "stateMachines");
  }
}
