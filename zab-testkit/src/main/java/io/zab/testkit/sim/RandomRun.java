package io.zab.testkit.sim;

import io.zab.Role;
import io.zab.testkit.lin.KvOp;
import io.zab.testkit.lin.LinearizabilityChecker;
import io.zab.testkit.lin.LinearizabilityResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One randomized run from a seed: start a 3- or 5-server cluster one by one under a key-value workload,
 * inject random faults for a while, heal everything, then require liveness (a leader established, a new
 * write committed and every server caught up within a bound of simulated time), and finally check the
 * client history for linearizability.
 */
public final class RandomRun {
  /**
   * Knobs of a randomized run.
   *
   * @param diskFaults correct disk or the ack-before-fsync bug
   * @param readMode barrier reads or the stale-read bug
   * @param minFaultMicros shortest fault phase
   * @param maxFaultMicros longest fault phase
   * @param livenessBoundMicros how long after healing the cluster may take to recover and converge
   * @param fsyncMinMicros shortest fsync
   * @param fsyncMaxMicros longest fsync
   * @param pressure whether seeds may run under pressure ({@link PressureProfile})
   * @param membership whether membership changes (reconfigurations, leadership transfers) happen during the faults,
   *     among five servers of which one, three or five vote at first (issue 11)
   */
  public record Options(DiskFaults diskFaults, ReadMode readMode, long minFaultMicros, long maxFaultMicros,
      long livenessBoundMicros, long fsyncMinMicros, long fsyncMaxMicros, boolean pressure, boolean membership) {
    /**
     * Correct disk (fsync 0.2-3 ms, an SSD), barrier reads, 4-15 s of faults, 30 s to recover, and half of the seeds
     * under pressure ({@link PressureProfile}).
     *
     * @return the default options
     */
    public static Options defaults() {
      return new Options(DiskFaults.CORRECT, ReadMode.AFTER_BARRIER, 4_000_000, 15_000_000, 30_000_000, 200, 3_000, true,
          false);
    }

    /**
     * {@link #defaults()} with membership changes during the faults, and 1.5-4 s of faults: a change is asked every
     * 0.1-0.6 s, so a seed sees several while staying short enough for thousands of seeds in the build.
     *
     * @return the options of a membership run
     */
    public static Options withMembershipChanges() {
      return new Options(DiskFaults.CORRECT, ReadMode.AFTER_BARRIER, 1_500_000, 4_000_000, 30_000_000, 200, 3_000, true,
          true);
    }

    /**
     * Whether membership changes happen during the faults (five servers then).
     *
     * @param on true for membership changes
     * @return a copy with {@code membership} set
     */
    public Options withMembership(boolean on) {
      return new Options(diskFaults, readMode, minFaultMicros, maxFaultMicros, livenessBoundMicros, fsyncMinMicros,
          fsyncMaxMicros, pressure, on);
    }

    /**
     * These options with another disk.
     *
     * @param d the disk's behaviour
     * @return a copy with {@code diskFaults} set
     */
    public Options withDiskFaults(DiskFaults d) {
      return new Options(d, readMode, minFaultMicros, maxFaultMicros, livenessBoundMicros, fsyncMinMicros, fsyncMaxMicros,
          pressure, membership);
    }

    /**
     * These options with another way of reading.
     *
     * @param r how the workload reads
     * @return a copy with {@code readMode} set
     */
    public Options withReadMode(ReadMode r) {
      return new Options(diskFaults, r, minFaultMicros, maxFaultMicros, livenessBoundMicros, fsyncMinMicros, fsyncMaxMicros,
          pressure, membership);
    }

    /**
     * These options with another fsync time.
     *
     * @param minMicros shortest fsync
     * @param maxMicros longest fsync
     * @return a copy with the fsync range set
     */
    public Options withFsync(long minMicros, long maxMicros) {
      return new Options(diskFaults, readMode, minFaultMicros, maxFaultMicros, livenessBoundMicros, minMicros, maxMicros,
          pressure, membership);
    }

    /**
     * Whether seeds may run under pressure (slow servers, small limits, bursts of large writes).
     *
     * @param on true to let seeds draw a pressure profile
     * @return a copy with {@code pressure} set
     */
    public Options withPressure(boolean on) {
      return new Options(diskFaults, readMode, minFaultMicros, maxFaultMicros, livenessBoundMicros, fsyncMinMicros,
          fsyncMaxMicros, on, membership);
    }
  }

  private static final long TICK_MICROS = 50_000;
  private static final long LIN_STEP_BUDGET = 2_000_000;

  private RandomRun() {}

  /**
   * Runs {@code seed}; {@code protocol} makes the cores' factory for the size limits the seed's
   * {@link PressureProfile} chose (e.g. {@code PeerProtocol::factory}).
   *
   * @param seed the seed, which determines the run
   * @param protocol makes the cores' factory for the given size limits
   * @param options the run's knobs
   * @return the outcome; {@link RunResult#failed()} if it broke an invariant or linearizability
   */
  public static RunResult run(long seed, Function<PeerProtocol.Limits, ProtocolFactory> protocol, Options options) {
    return run(seed, protocol, options, sim -> { });
  }

  /**
   * {@link #run(long, Function, Options)}, showing {@code observe} the simulation before it starts (a timeline,
   * say).
   *
   * @param seed the seed, which determines the run
   * @param protocol makes the cores' factory for the given size limits
   * @param options the run's knobs
   * @param observe given the simulation before it starts
   * @return the outcome; {@link RunResult#failed()} if it broke an invariant or linearizability
   */
  public static RunResult run(long seed, Function<PeerProtocol.Limits, ProtocolFactory> protocol, Options options,
      Consumer<Simulation> observe) {
    RunResult r = run(seed, protocol, options, Long.MAX_VALUE, observe);
    if (r.linearizability() != null && r.linearizability().illegal() && !Boolean.getBoolean("zab.sim.noReplay")) {
      // Replay the seed up to the offending answer, so the trace shows the steps that led to it.
      long at = r.culpritMicros();
      RunResult upTo = run(seed, protocol, options, at + 1, sim -> { });
      return r.withTrace(String.format("  (replayed up to t=%.6fs, where the offending answer was given)%n", at / 1e6)
          + upTo.traceSteps());
    }
    return r;
  }

  private static RunResult run(long seed, Function<PeerProtocol.Limits, ProtocolFactory> protocol, Options options,
      long haltAt, Consumer<Simulation> observe) {
    int servers = options.membership() || Math.floorMod(seed, 3) != 0 ? 5 : 3;
    PressureProfile profile = PressureProfile.draw(seed, servers, options.pressure(), options.fsyncMinMicros(),
        options.fsyncMaxMicros());
    SimConfig config = new SimConfig(servers, seed, TICK_MICROS, NetworkModel.lan(), options.fsyncMinMicros(), options.fsyncMaxMicros(),
        options.diskFaults(), 50, protocol.apply(profile.limits()), KvStateMachine::new, true, profile.speeds(),
        profile.limits().inFlightBound(), profile.limits().maxFrameBytes());
    if (options.membership()) {
      config = config.withInitialVoters(new int[] {1, 3, 3, 5}[(int) Math.floorMod(seed, 4)]);
    }
    Simulation sim = new Simulation(config);
    observe.accept(sim);
    sim.haltAt(haltAt);
    KvWorkload workload = new KvWorkload(sim, 4, 0.5, 2_000, 40_000, options.readMode());
    FaultInjector faults = new FaultInjector(sim, 100_000, 1_200_000, !options.membership());
    MembershipChanges changes = options.membership() ? new MembershipChanges(sim, 100_000, 600_000) : null;

    boolean ok = startOneByOne(sim);
    workload.start(2);
    if (profile.bursts()) {
      workload.startBursts(300_000, 2_000_000, 5, 30, 1_024, profile.limits().maxTxnBytes());
    }
    faults.start();
    if (changes != null) {
      changes.start();
    }
    ok = ok && sim.runFor(sim.random().nextLong(options.minFaultMicros(), options.maxFaultMicros() + 1));
    if (ok) {
      if (changes != null) {
        changes.stop();
      }
      faults.healAll();
      ok = recover(sim, options.livenessBoundMicros());
    }
    if (ok) {
      workload.stop();
      ok = converge(sim, workload, options.livenessBoundMicros());
    }
    LinearizabilityResult lin = null;
    long culprit = -1;
    if (!sim.halted() || (haltAt != Long.MAX_VALUE && !sim.violations().any())) {
      lin = new LinearizabilityChecker(LIN_STEP_BUDGET).check(workload.history());
      if (lin.illegal()) {
        culprit = lin.subHistory().stream().filter(op -> op.ret() != KvOp.UNKNOWN).max(Comparator.comparingLong(KvOp::ret))
            .map(op -> workload.answeredAtMicros(op.id())).orElse(-1L);
      }
    }
    List<Violation> violations = sim.violations().all();
    boolean failed = !violations.isEmpty() || (lin != null && lin.illegal()) || haltAt != Long.MAX_VALUE;
    return new RunResult(seed, servers, sim.scheduler().executed(), sim.faults(), sim.now(), violations, lin,
        workload.history().size(), sim.trace().hash(), failed ? sim.lastSteps() : null, culprit,
        (int) sim.servers().stream().filter(s -> s.refusal() != null).count(), profile,
        changes == null ? 0 : changes.asked(), changes == null ? 0 : changes.completed(), strandedMembers(sim),
        unreachableMembers(sim), sim.logDamages(), sim.snapshotDamages());
  }

  private static boolean startOneByOne(Simulation sim) {
    for (SimServer s : sim.servers()) {
      sim.start(s.id());
      if (!sim.runFor(sim.random().nextLong(0, 300_000))) {
        return false;
      }
    }
    return true;
  }

  /** After healing: a leader is established and a fresh write commits, within the bound. */
  private static boolean recover(Simulation sim, long bound) {
    List<SimRequest> probes = new ArrayList<>();
    long deadline = sim.now() + bound;
    while (sim.now() < deadline) {
      if (leaderEstablished(sim) && probes.stream().anyMatch(p -> p.status() == SimRequest.Status.COMPLETED)) {
        return true;
      }
      if (leaderEstablished(sim) && probes.stream().allMatch(SimRequest::done)) {
        long leader = leaderOf(sim);
        probes.add(sim.submit(leader, KvStateMachine.put("probe", "p" + sim.now())));
      }
      if (!sim.runFor(50_000)) {
        return false;
      }
    }
    sim.violations().report("Liveness", 0, "no leader established with a committed write within " + bound / 1_000_000
        + "s after all faults healed; roles: " + sim.describeServers());
    return false;
  }

  /**
   * After the clients stop: every server (but those that refused to start, and those that are not members of the
   * leader's configuration) applies the whole committed history, and every client request gets its answer, within
   * the bound.
   */
  private static boolean converge(Simulation sim, KvWorkload workload, long bound) {
    boolean done = sim.runUntil(() -> leaderEstablished(sim) && workload.inFlight() == 0 && sim.servers().stream()
        .filter(s -> s.refusal() == null && isMember(sim, s.id()))
        .allMatch(s -> sim.history().appliedBy(s.id()) == sim.history().size()), bound);
    if (!done && !sim.violations().any()) {
      StringBuilder applied = new StringBuilder();
      sim.servers().forEach(s -> applied.append(" s").append(s.id()).append('=').append(sim.history().appliedBy(s.id())));
      sim.violations().report("Liveness", 0, "servers did not converge on the " + sim.history().size()
          + " committed txns, or " + workload.inFlight() + " client requests got no answer, within "
          + bound / 1_000_000 + "s; applied:" + applied + "; roles: " + sim.describeServers());
    }
    return done;
  }

  static boolean leaderEstablished(Simulation sim) {
    long leader = leaderOf(sim);
    if (leader == 0) {
      return false;
    }
    for (SimServer s : sim.servers()) {
      if (s.refusal() != null) {
        continue; // refused to start (its epoch files are gone): down until an operator repairs it
      }
      if (!s.alive() || s.paused()) {
        return false;
      }
      if (s.id() != leader && isMember(sim, s.id()) && (!following(s.node().role()) || s.node().leader() != leader)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@code id} is a member of the leader's configuration (voter or observer; issue 11) that some server can
   * still talk to (see {@link #unreachable}).
   */
  private static boolean isMember(Simulation sim, long id) {
    long leader = leaderOf(sim);
    return leader == 0 || (sim.server(leader).node().membership().isMember(id) && !unreachable(sim, id));
  }

  /**
   * Whether no other server and {@code id} list each other, so that no connection can ever form and nothing can
   * tell it anything: every server it knows was removed while it was away (issue 11; docs/protocol.md, stranded
   * members, "what is left"). Counted in the run's result, not waited for.
   */
  private static boolean unreachable(Simulation sim, long id) {
    SimServer s = sim.server(id);
    return sim.servers().stream().noneMatch(o -> o.id() != id && o.lists(id) && s.lists(o.id()));
  }

  /** Members of the leader's configuration that are {@link #unreachable} at the end of the run. */
  private static int unreachableMembers(Simulation sim) {
    long leader = leaderOf(sim);
    if (leader == 0) {
      return 0;
    }
    io.zab.wire.Membership m = sim.server(leader).node().membership();
    return (int) sim.servers().stream().filter(s -> s.id() != leader && m.isMember(s.id()) && unreachable(sim, s.id()))
        .count();
  }

  /**
   * Servers that learned a member's address from election notifications in this run: they had missed the change
   * adding it (issue 11, stranded members); every one of them had to rejoin for the run to converge.
   */
  private static int strandedMembers(Simulation sim) {
    return (int) sim.servers().stream().filter(SimServer::learnedAddresses).count();
  }

  private static boolean following(Role r) {
    return r == Role.FOLLOWING || r == Role.OBSERVING;
  }

  /** The one server that is LEADING and names itself, or 0. */
  static long leaderOf(Simulation sim) {
    long leader = 0;
    for (SimServer s : sim.servers()) {
      if (s.alive() && s.node().role() == Role.LEADING) {
        if (leader != 0) {
          return 0;
        }
        leader = s.id();
      }
    }
    return leader;
  }
}
