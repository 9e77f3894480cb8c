package io.zab.testkit.sim;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Random faults while it runs: crashes (and later restarts), whole-cluster power loss, clean restarts,
 * symmetric cuts, one-way stalls (half-open connections) and bridge partitions (healed later), process
 * pauses and network delay spikes. A crashed server's log may be damaged in the middle ({@link LogDamageFaults}), its
 * newest snapshot damaged ({@link SnapshotDamageFaults}) and its epoch files hit too (see {@link EpochFileFaults}):
 * a server whose start is then refused stays down for the rest of the run (at most a minority of them).
 * {@link #healAll()} ends every fault: the network heals and every stopped server restarts.
 */
public final class FaultInjector {
  private final Simulation sim;
  private final SplittableRandom random;
  private final long minGapMicros;
  private final long maxGapMicros;
  private final EpochFileFaults epochFaults;
  private final LogDamageFaults logDamage;
  private final SnapshotDamageFaults snapshotDamage;
  private boolean running;

  /**
   * Faults of every kind, including epoch-file faults that make a start refuse and damaged logs.
   *
   * @param sim the simulation to inject into
   * @param minGapMicros shortest simulated time between two faults
   * @param maxGapMicros longest simulated time between two faults
   */
  public FaultInjector(Simulation sim, long minGapMicros, long maxGapMicros) {
    this(sim, minGapMicros, maxGapMicros, true);
  }

  /**
   * Faults of every kind, with or without the faults that keep a server down or make it repair its log.
   *
   * @param sim the simulation to inject into
   * @param minGapMicros shortest simulated time between two faults
   * @param maxGapMicros longest simulated time between two faults
   * @param refusals whether epoch-file faults may make a start refuse (a server then stays down for the run), and
   *     whether a crash may damage a log in the middle or the newest snapshot (its server then repairs without a
   *     vote); runs with membership
   *     changes leave both out, since which servers are a minority changes under them (a single remaining voter
   *     that is damaged can never be repaired)
   */
  public FaultInjector(Simulation sim, long minGapMicros, long maxGapMicros, boolean refusals) {
    this.sim = sim;
    this.random = sim.random();
    this.minGapMicros = minGapMicros;
    this.maxGapMicros = maxGapMicros;
    this.epochFaults = new EpochFileFaults(sim, refusals);
    this.logDamage = refusals ? new LogDamageFaults(sim, epochFaults::mayAddFaulty) : null;
    this.snapshotDamage = refusals ? new SnapshotDamageFaults(sim, epochFaults) : null;
  }

  /** Starts injecting: one random fault every {@code minGapMicros}..{@code maxGapMicros} until {@link #healAll()}. */
  public void start() {
    running = true;
    sim.scheduler().repeatAtRandomGaps(random, minGapMicros, maxGapMicros, () -> running, this::inject);
  }

  private void inject() {
    int n = sim.servers().size();
    long victim = 1 + random.nextInt(n);
    int kind = random.nextInt(100);
    if (kind < 20) {
      if (sim.server(victim).alive()) {
        sim.crash(victim);
        epochFaults.maybeHit(victim);
        if (logDamage != null) {
          logDamage.maybeHit(victim);
          snapshotDamage.maybeHit(victim);
        }
        restartLater(victim, ms(100, 3000));
      }
    } else if (kind < 27) {
      powerLoss();
    } else if (kind < 32) {
      if (sim.server(victim).alive()) {
        sim.stop(victim);
        restartLater(victim, ms(50, 1000));
      }
    } else if (kind < 52) {
      partition(n);
    } else if (kind < 62) {
      long other = 1 + random.nextInt(n);
      if (other != victim) {
        sim.block(victim, other);
        healLater(ms(200, 8000));
      }
    } else if (kind < 70) {
      bridge(n, victim);
    } else if (kind < 88) {
      sim.pause(victim, ms(50, 3500));
    } else {
      sim.delaySpike(ms(100, 2000), ms(5, 400));
    }
  }

  private long ms(long min, long max) {
    return random.nextLong(min, max + 1) * 1000;
  }

  private void powerLoss() {
    List<Long> crashed = new ArrayList<>();
    for (SimServer s : sim.servers()) {
      if (s.alive()) {
        sim.crash(s.id());
        crashed.add(s.id());
      }
    }
    for (long id : crashed) {
      epochFaults.maybeHit(id);
      if (logDamage != null) {
        logDamage.maybeHit(id);
        snapshotDamage.maybeHit(id);
      }
      restartLater(id, ms(50, 1500));
    }
  }

  private void partition(int n) {
    Set<Long> side = new HashSet<>();
    Set<Long> other = new HashSet<>();
    for (long id = 1; id <= n; id++) {
      (random.nextBoolean() ? side : other).add(id);
    }
    if (!side.isEmpty() && !other.isEmpty()) {
      sim.partition(side, other);
      healLater(ms(200, 4000));
    }
  }

  /** Everyone but {@code bridge} is split in two groups that cannot talk; the bridge talks to both. */
  private void bridge(int n, long bridge) {
    Set<Long> left = new HashSet<>();
    Set<Long> right = new HashSet<>();
    for (long id = 1; id <= n; id++) {
      if (id != bridge) {
        (random.nextBoolean() ? left : right).add(id);
      }
    }
    if (!left.isEmpty() && !right.isEmpty()) {
      sim.partition(left, right);
      healLater(ms(200, 4000));
    }
  }

  private void restartLater(long id, long delay) {
    sim.scheduler().after(delay, () -> {
      if (!sim.server(id).alive()) {
        sim.start(id);
      }
    });
  }

  private void healLater(long delay) {
    sim.scheduler().after(delay, sim::heal);
  }

  /** Stops injecting, heals the network and restarts every stopped server (pauses end by themselves). */
  public void healAll() {
    running = false;
    sim.heal();
    for (SimServer s : sim.servers()) {
      if (!s.alive() && s.refusal() == null) {
        sim.start(s.id());
      }
    }
  }
}
