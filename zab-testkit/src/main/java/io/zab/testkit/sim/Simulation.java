package io.zab.testkit.sim;

import io.zab.protocol.Event;
import io.zab.wire.Message;
import io.zab.wire.SnapshotHeader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

/**
 * A whole cluster in one thread: simulated time, network, disks, servers and the checkers, all driven by
 * one random source derived from the seed, so a seed replays a run exactly. Every check runs as the step
 * that could break it happens; {@link #runFor(long)} stops at the first violation.
 */
@SuppressWarnings("exports") // drives the pure protocol core: names its Action/Event/Timing types (see module-info)
public final class Simulation implements EventSink {
  private static final long RECONNECT_SWEEP_MICROS = 10_000;

  private final SimConfig config;
  private final Scheduler scheduler = new Scheduler();
  private final SplittableRandom random;
  private final Violations violations = new Violations(scheduler::now);
  /** Steps printed in a failure report; -Dzab.sim.traceSteps=N prints more when replaying a seed. */
  static final int TRACE_STEPS = Integer.getInteger("zab.sim.traceSteps", 300);
  /** -Dzab.sim.traceServer=N shows only server N's steps in failure reports (0: all). */
  static final long TRACE_SERVER = Long.getLong("zab.sim.traceServer", 0);

  private final Trace trace = new Trace(Math.max(4 * TRACE_STEPS, 2000));
  private final SimNetwork network;
  private final List<SimServer> servers = new ArrayList<>();
  private final Set<Long> voters = new LinkedHashSet<>();
  private final CommittedHistory history;
  private final LeadershipCheck leadership = new LeadershipCheck(violations);
  private final MembershipCheck membership = new MembershipCheck(this);
  private long nextRequestId = 1;
  private long haltAt = Long.MAX_VALUE;
  private final List<SendListener> sendListeners = new ArrayList<>();

  /** Told about every message a server sends (before the network decides whether it arrives). */
  @FunctionalInterface
  public interface SendListener {
    void sent(long from, long to, Message message);
  }
  private long faults;
  private long logDamages;

  public Simulation(SimConfig config) {
    this.config = config;
    this.random = new SplittableRandom(config.seed());
    this.history = new CommittedHistory(config.servers(), violations, config.uniquePayloads());
    this.network = new SimNetwork(config.servers(), scheduler, random, config.network(), this);
    byte[] empty = emptySnapshot(config);
    for (long id = 1; id <= config.servers(); id++) {
      voters.add(id);
      SimConfig.ServerSpeed speed = config.speedOf(id);
      SimDisk disk = new SimDisk(id, scheduler, random, violations, speed.fsyncMinMicros(), speed.fsyncMaxMicros(),
          config.diskFaults(), empty);
      servers.add(new SimServer(id, this, disk));
    }
    sweep();
  }

  private static byte[] emptySnapshot(SimConfig config) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      out.write(SnapshotHeader.encode(null)); // no membership recorded: each server's configured one
      config.stateMachines().get().snapshot(out);
    } catch (IOException e) {
      throw new UncheckedIOException("snapshot of an empty state machine", e);
    }
    return out.toByteArray();
  }

  private void sweep() {
    network.reconnect();
    scheduler.after(RECONNECT_SWEEP_MICROS, this::sweep);
  }

  public SimConfig config() {
    return config;
  }

  public long now() {
    return scheduler.now();
  }

  public Scheduler scheduler() {
    return scheduler;
  }

  public SplittableRandom random() {
    return random;
  }

  public Violations violations() {
    return violations;
  }

  public Trace trace() {
    return trace;
  }

  /** The last steps for a failure report (heartbeats left out; see zab.sim.traceSteps, zab.sim.traceServer). */
  public String lastSteps() {
    return trace.lastSteps(TRACE_STEPS, TRACE_SERVER);
  }

  public SimNetwork network() {
    return network;
  }

  public CommittedHistory history() {
    return history;
  }

  public LeadershipCheck leadership() {
    return leadership;
  }

  /** Issue 11's invariant: the configurations that can decide at once have intersecting quorums. */
  public MembershipCheck membership() {
    return membership;
  }

  /**
   * Every server id, ascending (a sorted set: Set.copyOf's iteration order varies between JVMs); with membership
   * changes not every one of them is a voter (see {@link SimServer#node()}'s membership).
   */
  public Set<Long> voters() {
    return Collections.unmodifiableSet(new TreeSet<>(voters));
  }

  public SimServer server(long id) {
    if (id < 1 || id > servers.size()) {
      throw new IllegalArgumentException("no server " + id + " (servers are 1.." + servers.size() + ")");
    }
    return servers.get((int) id - 1);
  }

  public List<SimServer> servers() {
    return List.copyOf(servers);
  }

  /** Faults injected so far (crashes, partitions, pauses, spikes). */
  public long faults() {
    return faults;
  }

  long nextRequestId() {
    return nextRequestId++;
  }

  // ---- control ----

  /** Starts server {@code id}; returns false if it refuses to start (see {@link SimServer#refusal()}). */
  public boolean start(long id) {
    trace.note(now(), "start s" + id);
    if (server(id).start()) {
      return true;
    }
    String why = server(id).refusal();
    trace.note(now(), "s" + id + " stays down: " + why.substring(0, Math.min(why.length(), 200)));
    return false;
  }

  public void crash(long id) {
    faults++;
    trace.note(now(), "crash s" + id);
    server(id).crash();
  }

  public void stop(long id) {
    trace.note(now(), "stop s" + id);
    server(id).stop();
  }

  /** Counts and traces a fault the caller injected itself (such as damage to a crashed server's files). */
  public void faultInjected(String what) {
    faults++;
    trace.note(now(), what);
  }

  /** A server's log was damaged (see {@link LogDamageFaults}): counted for the run's summary. */
  void logDamaged(String what) {
    logDamages++;
    faultInjected(what);
  }

  /** Logs damaged in the middle so far (each repaired from the ensemble). */
  public long logDamages() {
    return logDamages;
  }

  public void pause(long id, long micros) {
    faults++;
    trace.note(now(), "pause s" + id + " for " + micros / 1000 + "ms");
    server(id).pause(micros);
  }

  /**
   * Stalls {@code from -> to} only (an asymmetric partition): messages that way wait while the other way
   * flows; after a TCP timeout of 1-15 s the connection breaks, unless healed before.
   */
  public void block(long from, long to) {
    faults++;
    trace.note(now(), "stall s" + from + "->s" + to);
    network.stall(from, to, 1_000_000, 15_000_000);
  }

  /** Cuts every link between the two groups (both directions). */
  public void partition(Set<Long> side, Set<Long> other) {
    faults++;
    trace.note(now(), "partition " + side + " | " + other);
    for (long a : side) {
      for (long b : other) {
        network.cut(a, b);
      }
    }
  }

  public void heal() {
    trace.note(now(), "heal network");
    network.healAll();
  }

  public void delaySpike(long durationMicros, long extraMicros) {
    faults++;
    trace.note(now(), "delay spike +" + extraMicros / 1000 + "ms for " + durationMicros / 1000 + "ms");
    network.delaySpike(durationMicros, extraMicros);
  }

  public SimRequest submit(long id, byte[] data) {
    return server(id).submit(data);
  }

  public SimRequest readBarrier(long id) {
    return server(id).readBarrier();
  }

  /**
   * An operator asks server {@code id} to move to {@code target} ({@code ZabNode.reconfigure}); new voters get
   * {@code catchUpTicks} to catch up (issue 11).
   */
  public SimRequest reconfigure(long id, io.zab.ClusterConfiguration target, long catchUpTicks) {
    return server(id).reconfigure(target, catchUpTicks);
  }

  /** An operator asks server {@code id} to hand leadership over to {@code target} within {@code timeoutTicks}. */
  public SimRequest transferLeadership(long id, long target, long timeoutTicks) {
    return server(id).transferLeadership(target, timeoutTicks);
  }

  public void addSendListener(SendListener l) {
    sendListeners.add(l);
  }

  void sent(long from, long to, Message message) {
    for (SendListener l : sendListeners) {
      l.sent(from, to, message);
    }
  }

  /** Stops the run for good at simulated time {@code micros} (to look at the trace of a replay at that moment). */
  public void haltAt(long micros) {
    haltAt = micros;
  }

  /** Whether the run reached its halt time or a violation: nothing more will run. */
  public boolean halted() {
    return violations.any() || now() >= haltAt;
  }

  /** Runs every step due in the next {@code micros}; stops early at the first violation. Returns false then. */
  public boolean runFor(long micros) {
    long limit = Math.min(now() + micros, haltAt);
    while (!violations.any() && scheduler.runNext(limit)) {
      // each step runs its own checks
    }
    if (!violations.any()) {
      scheduler.advanceTo(limit);
    }
    return !halted();
  }

  /** Runs until {@code condition} holds (checked after every step) or {@code maxMicros} pass; returns whether it held. */
  public boolean runUntil(BooleanSupplier condition, long maxMicros) {
    long limit = Math.min(now() + maxMicros, haltAt);
    while (!condition.getAsBoolean()) {
      if (violations.any() || !scheduler.runNext(limit)) {
        scheduler.advanceTo(limit);
        return condition.getAsBoolean();
      }
    }
    return true;
  }

  /** One line: each server's role, leader, epoch, last and applied zxid (or "down"). */
  public String describeServers() {
    StringBuilder sb = new StringBuilder();
    for (SimServer s : servers) {
      sb.append('s').append(s.id()).append('=');
      if (!s.alive()) {
        sb.append(s.refusal() == null ? "down" : "refused to start");
      } else {
        sb.append(s.role()).append("(leader ").append(s.node().leader()).append(", epoch ")
            .append(s.node().currentEpoch()).append(", last ").append(s.node().lastZxid()).append(", applied ")
            .append(s.applied());
        io.zab.wire.Membership m = s.node().membership();
        if (m.joint() || m.current().version() != 0 || !m.current().observers().isEmpty()) {
          sb.append(", voters ").append(m.current().voterIds()).append(m.joint() ? "->" + m.next().voterIds() : "")
              .append(" observers ").append(m.target().observerIds());
        }
        sb.append(')');
      }
      sb.append(' ');
    }
    return sb.toString().trim();
  }

  // ---- EventSink ----

  @Override
  public long incarnation(long server) {
    return server(server).incarnation();
  }

  @Override
  public boolean alive(long server) {
    return server(server).alive();
  }

  @Override
  public boolean mayConnect(long a, long b) {
    return server(a).knows(b) && server(b).knows(a);
  }

  @Override
  public void deliver(long to, long incarnation, Event event) {
    server(to).receive(incarnation, event);
  }

  @Override
  public void deliver(long to, long incarnation, long from, Message m, long generation, long bytes) {
    server(to).receive(incarnation, from, m, generation, bytes);
  }

  /**
   * Issue 10: a core never has more proposals or forwarded writes queued towards a peer (in the network and not yet
   * handled there) than its flow control allows; a real transport would close the connection past its bound.
   */
  @Override
  public void queued(long from, long to, long generation, long networkBytes, long messageBytes) {
    if (config.maxFrameBytes() > 0 && messageBytes > config.maxFrameBytes()) {
      violations.report("FrameCap", from, "a message of " + messageBytes + " bytes to server " + to
          + " does not fit the frame of " + config.maxFrameBytes() + " bytes (issue 10 item 1)");
    }
    long bound = config.inFlightBoundBytes();
    if (bound <= 0) {
      return;
    }
    long total = networkBytes + server(to).unhandledBytesFrom(from, generation);
    if (total > bound) {
      violations.report("TransportBound", from, total + " bytes of proposals or forwarded writes queued towards server "
          + to + " and not handled there, over the core's in-flight bound of " + bound);
    }
  }
}
