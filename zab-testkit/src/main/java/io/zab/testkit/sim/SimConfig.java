package io.zab.testkit.sim;

import io.zab.ClusterConfiguration;
import io.zab.Member;
import io.zab.StateMachine;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Everything that defines a simulated cluster; with the seed it determines the run exactly.
 *
 * @param servers number of servers, ids 1..servers
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
 * @param speeds per server id, a slower disk or state machine than the defaults (servers not listed use
 *     {@code fsyncMinMicros}..{@code fsyncMaxMicros} and apply at once)
 * @param inFlightBoundBytes the most proposal or forwarded-write bytes a core may have queued towards one peer and
 *     not yet handled there (its flow-control window, or one frame if larger); past it the run fails with a
 *     TransportBound violation, as a real transport would close the connection. 0: not checked
 * @param maxFrameBytes the cores' frame cap: a message a core sends that does not fit it is a FrameCap violation
 *     (a real transport refuses it). 0: not checked
 * @param initialVoters how many servers (ids 1..initialVoters) vote in the initial configuration; the others start
 *     as newcomers would (those voters, and themselves as observers) until a reconfiguration adds them. 0: all
 */
public record SimConfig(int servers, long seed, long tickMicros, NetworkModel network, long fsyncMinMicros,
    long fsyncMaxMicros, DiskFaults diskFaults, int snapshotEvery, ProtocolFactory protocol,
    Supplier<? extends StateMachine> stateMachines, boolean uniquePayloads, Map<Long, ServerSpeed> speeds,
    long inFlightBoundBytes, int maxFrameBytes, int initialVoters) {

  /**
   * How slow one server's parts are.
   *
   * @param fsyncMinMicros shortest fsync of its disk
   * @param fsyncMaxMicros longest fsync of its disk
   * @param applyMicros how long its state machine takes per applied txn (0: at once)
   */
  public record ServerSpeed(long fsyncMinMicros, long fsyncMaxMicros, long applyMicros) {}

  /**
   * Every server a voter of the initial configuration.
   *
   * @param servers number of servers, ids 1..servers
   * @param seed the seed of the one random source
   * @param tickMicros simulated microseconds per core tick
   * @param network link latencies and connection behaviour
   * @param fsyncMinMicros shortest simulated fsync
   * @param fsyncMaxMicros longest simulated fsync
   * @param diskFaults correct disk, or a deliberately buggy one
   * @param snapshotEvery take a snapshot after this many applied txns (0: never)
   * @param protocol builds each server's protocol core
   * @param stateMachines makes each server's state machine
   * @param uniquePayloads whether every submitted payload is distinct
   * @param speeds per server id, a slower disk or state machine than the defaults
   * @param inFlightBoundBytes the in-flight bound checked per peer (0: not checked)
   * @param maxFrameBytes the cores' frame cap (0: not checked)
   */
  public SimConfig(int servers, long seed, long tickMicros, NetworkModel network, long fsyncMinMicros,
      long fsyncMaxMicros, DiskFaults diskFaults, int snapshotEvery, ProtocolFactory protocol,
      Supplier<? extends StateMachine> stateMachines, boolean uniquePayloads, Map<Long, ServerSpeed> speeds,
      long inFlightBoundBytes, int maxFrameBytes) {
    this(servers, seed, tickMicros, network, fsyncMinMicros, fsyncMaxMicros, diskFaults, snapshotEvery, protocol,
        stateMachines, uniquePayloads, speeds, inFlightBoundBytes, maxFrameBytes, 0);
  }

  /**
   * Every server equally fast, every server a voter, no bound checked.
   *
   * @param servers number of servers, ids 1..servers
   * @param seed the seed of the one random source
   * @param tickMicros simulated microseconds per core tick
   * @param network link latencies and connection behaviour
   * @param fsyncMinMicros shortest simulated fsync
   * @param fsyncMaxMicros longest simulated fsync
   * @param diskFaults correct disk, or a deliberately buggy one
   * @param snapshotEvery take a snapshot after this many applied txns (0: never)
   * @param protocol builds each server's protocol core
   * @param stateMachines makes each server's state machine
   * @param uniquePayloads whether every submitted payload is distinct
   */
  public SimConfig(int servers, long seed, long tickMicros, NetworkModel network, long fsyncMinMicros,
      long fsyncMaxMicros, DiskFaults diskFaults, int snapshotEvery, ProtocolFactory protocol,
      Supplier<? extends StateMachine> stateMachines, boolean uniquePayloads) {
    this(servers, seed, tickMicros, network, fsyncMinMicros, fsyncMaxMicros, diskFaults, snapshotEvery, protocol,
        stateMachines, uniquePayloads, Map.of(), 0, 0);
  }

  /**
   * This config with only servers 1..{@code voters} voting at first.
   *
   * @param voters how many servers vote in the initial configuration (0: all)
   * @return a copy with {@code initialVoters} set
   */
  public SimConfig withInitialVoters(int voters) {
    return new SimConfig(servers, seed, tickMicros, network, fsyncMinMicros, fsyncMaxMicros, diskFaults, snapshotEvery,
        protocol, stateMachines, uniquePayloads, speeds, inFlightBoundBytes, maxFrameBytes, voters);
  }

  /**
   * The configuration server {@code id} is given: voters 1..initialVoters, and {@code id} itself as an observer if it
   * is not one of them (a server started to be added later).
   *
   * @param id the server's id
   * @return the configuration its core starts with
   */
  public ClusterConfiguration initialConfiguration(long id) {
    ClusterConfiguration c = declaredConfiguration();
    return c.isMember(id) ? c : c.withObserver(Member.local(id));
  }

  /**
   * The initial configuration as the operator declared it (voters 1..initialVoters, no observers): what the checkers
   * hold version 0 to be, whatever a core was given.
   *
   * @return the declared initial configuration
   */
  public ClusterConfiguration declaredConfiguration() {
    int voters = initialVoters == 0 ? servers : initialVoters;
    List<Member> members = new ArrayList<>();
    for (long v = 1; v <= voters; v++) {
      members.add(Member.local(v));
    }
    return ClusterConfiguration.of(members);
  }

  /**
   * The speed of server {@code id}.
   *
   * @param id the server's id
   * @return its entry in {@code speeds}, or the default fsync range with an immediate state machine
   */
  public ServerSpeed speedOf(long id) {
    return speeds.getOrDefault(id, new ServerSpeed(fsyncMinMicros, fsyncMaxMicros, 0));
  }

  /**
   * Checks the values.
   *
   * @param servers number of servers, ids 1..servers
   * @param seed the seed of the one random source
   * @param tickMicros simulated microseconds per core tick
   * @param network link latencies and connection behaviour
   * @param fsyncMinMicros shortest simulated fsync
   * @param fsyncMaxMicros longest simulated fsync
   * @param diskFaults correct disk, or a deliberately buggy one
   * @param snapshotEvery take a snapshot after this many applied txns (0: never)
   * @param protocol builds each server's protocol core
   * @param stateMachines makes each server's state machine
   * @param uniquePayloads whether every submitted payload is distinct
   * @param speeds per server id, a slower disk or state machine than the defaults
   * @param inFlightBoundBytes the in-flight bound checked per peer (0: not checked)
   * @param maxFrameBytes the cores' frame cap (0: not checked)
   * @param initialVoters how many servers vote in the initial configuration (0: all)
   * @throws IllegalArgumentException if the number of servers is not in 1..64, {@code initialVoters} not in
   *     0..servers, or the tick or fsync times are negative or out of order
   * @throws NullPointerException if the network, disk faults, protocol or state machines are null
   */
  public SimConfig {
    speeds = Map.copyOf(speeds);
    if (servers < 1 || servers > 64) {
      throw new IllegalArgumentException("servers must be in [1, 64]: " + servers);
    }
    if (initialVoters < 0 || initialVoters > servers) {
      throw new IllegalArgumentException("initialVoters must be in [0, servers]: " + initialVoters);
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
