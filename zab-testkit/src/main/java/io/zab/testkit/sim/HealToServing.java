package io.zab.testkit.sim;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How long servers take to serve again after a partition heals (issue 10 item 7). One run from a seed: a 3- or
 * 5-server cluster under a key-value workload settles, then one partition hits it (the leader isolated, a follower
 * isolated, a random split, or a one-way stall between the leader and a follower) for 0.1-8 s, then heals. From
 * the heal on, each server's state is sampled every millisecond for {@link #WINDOW_MICROS}; its time to serve is
 * when it last became serving (its core announced the role it is in, in its current epoch) within that window, 0
 * if it served throughout, and -1 if it did not serve at the end. {@code -Dzab.sim.healTraceMillis=T} keeps the
 * trace of the steps up to T ms after the heal (with {@code zab.sim.traceSteps}, {@code zab.sim.traceServer}).
 */
public final class HealToServing {
  /** How long after the heal servers are watched. */
  public static final long WINDOW_MICROS = 6_000_000;
  private static final long TICK_MICROS = 50_000;
  private static final long SAMPLE_MICROS = 1_000;

  /** The partition a run applies. */
  public enum Kind {
    /** The leader cut from every other server. */
    ISOLATE_LEADER,
    /** One follower cut from every other server. */
    ISOLATE_FOLLOWER,
    /** The servers split at random in two sides that cannot talk. */
    SPLIT,
    /** The leader's messages to one follower stall (a one-way, half-open connection). */
    STALL_LEADER_TO_FOLLOWER,
    /** One follower's messages to the leader stall (a one-way, half-open connection). */
    STALL_FOLLOWER_TO_LEADER
  }

  /**
   * One run's outcome.
   *
   * @param seed the seed
   * @param kind the partition
   * @param partitionMicros how long it lasted
   * @param micros per server (index id - 1): time from the heal to serving, -1 if not serving at the end
   * @param violations invariant violations of the run (must be none)
   * @param trace the steps up to {@code zab.sim.healTraceMillis} after the heal, or null if not asked for
   */
  public record Run(long seed, Kind kind, long partitionMicros, long[] micros, List<Violation> violations,
      String trace) {
    /**
     * The slowest server's time to serve.
     *
     * @return microseconds from the heal, or -1 if one did not serve at the end
     */
    public long worst() {
      long worst = 0;
      for (long m : micros) {
        if (m < 0) {
          return -1;
        }
        worst = Math.max(worst, m);
      }
      return worst;
    }
  }

  private HealToServing() {}

  /**
   * Runs {@code seed}: settle, one partition, heal, then watch every server for {@link #WINDOW_MICROS}.
   *
   * @param seed the seed, which determines the run
   * @param protocol builds each server's protocol core
   * @return each server's time to serve, and the run's violations
   */
  public static Run run(long seed, ProtocolFactory protocol) {
    int servers = Math.floorMod(seed, 2) == 0 ? 3 : 5;
    SimConfig config = new SimConfig(servers, seed, TICK_MICROS, NetworkModel.lan(), 200, 3_000, DiskFaults.CORRECT, 50,
        protocol, KvStateMachine::new, true);
    Simulation sim = new Simulation(config);
    KvWorkload workload = new KvWorkload(sim, 4, 0.5, 2_000, 40_000, ReadMode.AFTER_BARRIER);
    for (SimServer s : sim.servers()) {
      sim.start(s.id());
      sim.runFor(sim.random().nextLong(0, 300_000));
    }
    workload.start(2);
    sim.runUntil(() -> RandomRun.leaderEstablished(sim) && sim.servers().stream().allMatch(SimServer::synced), 30_000_000);
    sim.runFor(sim.random().nextLong(200_000, 1_000_001));
    Kind kind = Kind.values()[sim.random().nextInt(Kind.values().length)];
    long partition = sim.random().nextLong(100_000, 8_000_001);
    apply(sim, kind);
    sim.runFor(partition);
    sim.heal();
    long healedAt = sim.now();
    long[] becameServing = new long[servers];
    boolean[] serving = new boolean[servers];
    for (int i = 0; i < servers; i++) {
      serving[i] = sim.server(i + 1).synced();
      becameServing[i] = serving[i] ? healedAt : -1;
    }
    long traceUntil = Long.getLong("zab.sim.healTraceMillis", -1);
    String trace = null;
    while (sim.now() < healedAt + WINDOW_MICROS && !sim.halted()) {
      if (traceUntil >= 0 && trace == null && sim.now() >= healedAt + traceUntil * 1000) {
        trace = sim.lastSteps();
      }
      sim.runFor(SAMPLE_MICROS);
      for (int i = 0; i < servers; i++) {
        boolean now = sim.server(i + 1).synced();
        if (now && !serving[i]) {
          becameServing[i] = sim.now();
        }
        serving[i] = now;
      }
    }
    long[] micros = new long[servers];
    for (int i = 0; i < servers; i++) {
      micros[i] = serving[i] ? becameServing[i] - healedAt : -1;
    }
    workload.stop();
    return new Run(seed, kind, partition, micros, sim.violations().all(), trace);
  }

  private static void apply(Simulation sim, Kind kind) {
    long leader = RandomRun.leaderOf(sim);
    List<Long> followers = new ArrayList<>();
    sim.servers().forEach(s -> {
      if (s.id() != leader) {
        followers.add(s.id());
      }
    });
    long follower = followers.get(sim.random().nextInt(followers.size()));
    switch (kind) {
      case ISOLATE_LEADER -> isolate(sim, leader);
      case ISOLATE_FOLLOWER -> isolate(sim, follower);
      case SPLIT -> {
        Set<Long> side = new HashSet<>();
        Set<Long> other = new HashSet<>();
        for (SimServer s : sim.servers()) {
          (sim.random().nextBoolean() ? side : other).add(s.id());
        }
        if (side.isEmpty() || other.isEmpty()) {
          isolate(sim, leader);
        } else {
          sim.partition(side, other);
        }
      }
      case STALL_LEADER_TO_FOLLOWER -> sim.block(leader, follower);
      case STALL_FOLLOWER_TO_LEADER -> sim.block(follower, leader);
    }
  }

  private static void isolate(Simulation sim, long id) {
    Set<Long> others = new HashSet<>(sim.voters());
    others.remove(id);
    sim.partition(Set.of(id), others);
  }
}
