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
    /**
     * Called as server {@code from} sends {@code message} to server {@code to}.
     *
     * @param from the sender's id
     * @param to the addressee's id
     * @param message the message sent
     */
    void sent(long from, long to, Message message);
  }
  private long faults;
  private long logDamages;
  private long snapshotDamages;

  /**
   * Builds the cluster of {@code config}: every server with an empty disk, down until {@link #start(long)}.
   *
   * @param config the cluster, its network and disks, and the seed
   */
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

  /**
   * The configuration it was built with.
   *
   * @return the configuration
   */
  public SimConfig config() {
    return config;
  }

  /**
   * The simulated time.
   *
   * @return microseconds since the run began
   */
  public long now() {
    return scheduler.now();
  }

  /**
   * The queue of timed steps that drives the run.
   *
   * @return the scheduler
   */
  public Scheduler scheduler() {
    return scheduler;
  }

  /**
   * The run's one random source: draw from it (never from another) so the seed replays the run.
   *
   * @return the random source, seeded from the configuration's seed
   */
  public SplittableRandom random() {
    return random;
  }

  /**
   * The violations found so far.
   *
   * @return where the checks report violations
   */
  public Violations violations() {
    return violations;
  }

  /**
   * The recent steps of the run.
   *
   * @return the trace that failure reports print from
   */
  public Trace trace() {
    return trace;
  }

  /**
   * The last steps for a failure report (heartbeats left out; see zab.sim.traceSteps, zab.sim.traceServer).
   *
   * @return the steps, one a line
   */
  public String lastSteps() {
    return trace.lastSteps(TRACE_STEPS, TRACE_SERVER);
  }

  /**
   * The simulated network between the servers.
   *
   * @return the network
   */
  public SimNetwork network() {
    return network;
  }

  /**
   * The checker of what the servers commit and apply.
   *
   * @return the committed history
   */
  public CommittedHistory history() {
    return history;
  }

  /**
   * The checker of leaders per epoch.
   *
   * @return the leadership check
   */
  public LeadershipCheck leadership() {
    return leadership;
  }

  /**
   * Issue 11's invariant: the configurations that can decide at once have intersecting quorums.
   *
   * @return the membership check
   */
  public MembershipCheck membership() {
    return membership;
  }

  /**
   * Every server id, ascending (a sorted set: Set.copyOf's iteration order varies between JVMs); with membership
   * changes not every one of them is a voter (see {@link SimServer#node()}'s membership).
   *
   * @return the ids, ascending, in a set that cannot be changed
   */
  public Set<Long> voters() {
    return Collections.unmodifiableSet(new TreeSet<>(voters));
  }

  /**
   * One server.
   *
   * @param id the server's id, 1 to the number of servers
   * @return the server
   * @throws IllegalArgumentException if there is no server {@code id}
   */
  public SimServer server(long id) {
    if (id < 1 || id > servers.size()) {
      throw new IllegalArgumentException("no server " + id + " (servers are 1.." + servers.size() + ")");
    }
    return servers.get((int) id - 1);
  }

  /**
   * Every server, by id.
   *
   * @return a copy of the list of servers, server 1 first
   */
  public List<SimServer> servers() {
    return List.copyOf(servers);
  }

  /**
   * Faults injected so far (crashes, partitions, pauses, spikes).
   *
   * @return the number of faults
   */
  public long faults() {
    return faults;
  }

  long nextRequestId() {
    return nextRequestId++;
  }

  // ---- control ----

  /**
   * Starts server {@code id} from what its disk holds.
   *
   * @param id the server's id
   * @return false if it refuses to start (see {@link SimServer#refusal()}): it stays down
   * @throws IllegalStateException if it is already running
   */
  public boolean start(long id) {
    trace.note(now(), "start s" + id);
    if (server(id).start()) {
      return true;
    }
    String why = server(id).refusal();
    trace.note(now(), "s" + id + " stays down: " + why.substring(0, Math.min(why.length(), 200)));
    return false;
  }

  /**
   * Crashes server {@code id} (a fault): writes not yet fsynced may be lost, and its pending requests are
   * {@link SimRequest.Status#LOST}.
   *
   * @param id the server's id
   */
  public void crash(long id) {
    faults++;
    trace.note(now(), "crash s" + id);
    server(id).crash();
  }

  /**
   * Stops server {@code id} cleanly: its disk is flushed first.
   *
   * @param id the server's id
   */
  public void stop(long id) {
    trace.note(now(), "stop s" + id);
    server(id).stop();
  }

  /**
   * Counts and traces a fault the caller injected itself (such as damage to a crashed server's files).
   *
   * @param what the fault, for the trace
   */
  public void faultInjected(String what) {
    faults++;
    trace.note(now(), what);
  }

  /** A server's log was damaged (see {@link LogDamageFaults}): counted for the run's summary. */
  void logDamaged(String what) {
    logDamages++;
    faultInjected(what);
  }

  /** A server's newest snapshot was damaged (see {@link SnapshotDamageFaults}): counted for the run's summary. */
  void snapshotDamaged(String what) {
    snapshotDamages++;
    faultInjected(what);
  }

  /**
   * Newest snapshots damaged so far (each server restarted from an older one and repaired from the ensemble).
   *
   * @return the number of snapshot damages
   */
  public long snapshotDamages() {
    return snapshotDamages;
  }

  /**
   * Logs damaged in the middle so far (each repaired from the ensemble).
   *
   * @return the number of log damages
   */
  public long logDamages() {
    return logDamages;
  }

  /**
   * Pauses server {@code id} (a fault, like a long GC pause): what arrives meanwhile waits and its ticks are
   * skipped.
   *
   * @param id the server's id
   * @param micros how long it pauses, in simulated microseconds
   */
  public void pause(long id, long micros) {
    faults++;
    trace.note(now(), "pause s" + id + " for " + micros / 1000 + "ms");
    server(id).pause(micros);
  }

  /**
   * Stalls {@code from -> to} only (an asymmetric partition): messages that way wait while the other way
   * flows; after a TCP timeout of 1-15 s the connection breaks, unless healed before.
   *
   * @param from the sender whose messages stall
   * @param to the server they are addressed to
   */
  public void block(long from, long to) {
    faults++;
    trace.note(now(), "stall s" + from + "->s" + to);
    network.stall(from, to, 1_000_000, 15_000_000);
  }

  /**
   * Cuts every link between the two groups (both directions).
   *
   * @param side the server ids on one side
   * @param other the server ids on the other side
   */
  public void partition(Set<Long> side, Set<Long> other) {
    faults++;
    trace.note(now(), "partition " + side + " | " + other);
    for (long a : side) {
      for (long b : other) {
        network.cut(a, b);
      }
    }
  }

  /** Lifts every partition and stall; messages held by a stall go on, in order. */
  public void heal() {
    trace.note(now(), "heal network");
    network.healAll();
  }

  /**
   * Delays every message sent during the next {@code durationMicros} by {@code extraMicros} more (a fault).
   *
   * @param durationMicros how long the spike lasts
   * @param extraMicros the latency added to each message sent meanwhile
   */
  public void delaySpike(long durationMicros, long extraMicros) {
    faults++;
    trace.note(now(), "delay spike +" + extraMicros / 1000 + "ms for " + durationMicros / 1000 + "ms");
    network.delaySpike(durationMicros, extraMicros);
  }

  /**
   * A client writes {@code data} through server {@code id}.
   *
   * @param id the server's id
   * @param data the write's payload
   * @return the request, to follow its outcome (rejected with {@code CLOSED} at once if the server is down)
   */
  public SimRequest submit(long id, byte[] data) {
    return server(id).submit(data);
  }

  /**
   * A client asks server {@code id} for a read barrier ({@code ZabNode.sync}).
   *
   * @param id the server's id
   * @return the request, to follow its outcome
   */
  public SimRequest readBarrier(long id) {
    return server(id).readBarrier();
  }

  /**
   * An operator asks server {@code id} to move to {@code target} ({@code ZabNode.reconfigure}); new voters get
   * {@code catchUpTicks} to catch up (issue 11).
   *
   * @param id the server asked
   * @param target the configuration to move to
   * @param catchUpTicks the ticks each new voter has to catch up with the leader
   * @return the request, to follow its outcome
   */
  public SimRequest reconfigure(long id, io.zab.ClusterConfiguration target, long catchUpTicks) {
    return server(id).reconfigure(target, catchUpTicks);
  }

  /**
   * An operator asks server {@code id} to hand leadership over to {@code target} within {@code timeoutTicks}.
   *
   * @param id the server asked
   * @param target the server to lead next
   * @param timeoutTicks the ticks the transfer may take
   * @return the request, to follow its outcome
   */
  public SimRequest transferLeadership(long id, long target, long timeoutTicks) {
    return server(id).transferLeadership(target, timeoutTicks);
  }

  /**
   * Tells {@code l} about every message sent from now on.
   *
   * @param l the listener
   */
  public void addSendListener(SendListener l) {
    sendListeners.add(l);
  }

  void sent(long from, long to, Message message) {
    for (SendListener l : sendListeners) {
      l.sent(from, to, message);
    }
  }

  /**
   * Stops the run for good at simulated time {@code micros} (to look at the trace of a replay at that moment).
   *
   * @param micros the simulated time to halt at
   */
  public void haltAt(long micros) {
    haltAt = micros;
  }

  /**
   * Whether the run reached its halt time or a violation: nothing more will run.
   *
   * @return true if halted
   */
  public boolean halted() {
    return violations.any() || now() >= haltAt;
  }

  /**
   * Runs every step due in the next {@code micros}; stops early at the first violation.
   *
   * @param micros how long to run, in simulated microseconds
   * @return false if the run halted (a violation, or its halt time)
   */
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

  /**
   * Runs until {@code condition} holds (checked after every step) or {@code maxMicros} pass; stops early at the
   * first violation.
   *
   * @param condition what to wait for
   * @param maxMicros the most simulated time to run
   * @return whether the condition held
   */
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

  /**
   * One line: each server's role, leader, epoch, last and applied zxid (or "down").
   *
   * @return the servers' state
   */
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
   * handled there) than its flow control allows; a real transport would close the connection past its bound. (Each
   * message's fit in a frame is checked where it is sent: {@link SimServer}.)
   */
  @Override
  public void queued(long from, long to, long generation, long networkBytes, long messageBytes) {
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
