package io.zab.testkit;

import io.zab.ClusterConfiguration;
import io.zab.Member;
import io.zab.Role;
import io.zab.StateMachine;
import io.zab.Zxid;
import io.zab.testkit.sim.DiskFaults;
import io.zab.testkit.sim.NetworkModel;
import io.zab.testkit.sim.PeerProtocol;
import io.zab.testkit.sim.ProtocolFactory;
import io.zab.testkit.sim.SimConfig;
import io.zab.testkit.sim.SimRequest;
import io.zab.testkit.sim.SimServer;
import io.zab.testkit.sim.Simulation;
import io.zab.testkit.sim.Violation;
import io.zab.testkit.timeline.SimTimeline;
import io.zab.testkit.timeline.Timeline;
import io.zab.wire.Message;
import io.zab.wire.Txn;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A deterministic simulated zab cluster for election and failover tests of your own state machine:
 * simulated time, network and disks in one thread, driven by a seed, with every safety invariant checked
 * as it runs (a broken one throws {@link SimulationFailure} with the seed and the last steps).
 *
 * <pre>{@code
 * SimCluster cluster = SimCluster.builder().servers(5).seed(42).stateMachine(MyStateMachine::new).build();
 * for (long id = 1; id <= 5; id++) {        // S3: start one by one
 *   cluster.start(id);
 *   cluster.advanceTime(Duration.ofSeconds(1));
 * }
 * cluster.runUntilStable();
 * ZabAssertions.assertThat(cluster).hasLeader(3).withFollowers(1, 2, 4, 5);
 * }</pre>
 *
 * <p>Membership scenarios (issue 11): {@code builder().servers(5).initialVoters(3)} starts servers 4 and 5 as servers
 * to be added; {@link #addVoter}, {@link #addObserver}, {@link #removeMember}, {@link #reconfigure} and
 * {@link #transferLeadership} ask the cluster to change, and every membership invariant is checked as it runs.
 *
 * <p>Not thread-safe; one test thread drives it. Server ids are 1..servers.
 */
public final class SimCluster {
  /** How long {@link #runUntilStable()} and {@link #runUntilLeaderElected()} wait, in simulated time. */
  public static final Duration DEFAULT_PATIENCE = Duration.ofSeconds(60);

  private final Simulation sim;
  private final List<SentMessage> notifications = new ArrayList<>();
  private final SimTimeline timeline;

  /**
   * A message one server sent another (recorded for election messages, to assert on S5 rounds).
   *
   * @param timeMicros when it was sent, in simulated microseconds since the cluster was built
   * @param from the sender
   * @param to the addressee
   * @param message the message
   */
  public record SentMessage(long timeMicros, long from, long to, Message message) {}

  private SimCluster(Simulation sim) {
    this.sim = sim;
    this.timeline = SimTimeline.attach(sim);
    sim.addSendListener((from, to, m) -> {
      if (m instanceof Message.Notification) {
        notifications.add(new SentMessage(sim.now(), from, to, m));
      }
    });
  }

  /**
   * A builder; see the class example.
   *
   * @return a new builder; set at least its state machine
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The simulation underneath (network, disks, history), for tests that need more than this API.
   *
   * @return the simulation this cluster drives
   */
  public Simulation simulation() {
    return sim;
  }

  /**
   * The seed of this run: the same seed and the same calls replay it exactly.
   *
   * @return the seed
   */
  public long seed() {
    return sim.config().seed();
  }

  /**
   * The number of servers, ids 1..size.
   *
   * @return how many servers the cluster has, running or not
   */
  public int size() {
    return sim.config().servers();
  }

  /**
   * Simulated time since the cluster was built.
   *
   * @return the simulated time elapsed
   */
  public Duration now() {
    return Duration.ofNanos(sim.now() * 1000);
  }

  // ---- servers ----

  /**
   * Starts (or restarts, after a crash or stop) the given servers, one after another at the same instant, each
   * from what its simulated disk holds.
   *
   * @param ids the servers to start
   * @return this cluster
   * @throws IllegalStateException if one is already running
   * @throws SimulationFailure if an invariant broke meanwhile
   */
  public SimCluster start(long... ids) {
    for (long id : ids) {
      sim.start(id);
    }
    return failIfBroken();
  }

  /**
   * Starts every server that is not running.
   *
   * @return this cluster
   * @throws SimulationFailure if an invariant broke meanwhile
   */
  public SimCluster startAll() {
    for (SimServer s : sim.servers()) {
      if (!s.alive()) {
        sim.start(s.id());
      }
    }
    return failIfBroken();
  }

  /**
   * Kills the process: unsynced log writes are lost, outstanding requests get an unknown outcome.
   *
   * @param id the server
   * @return this cluster
   */
  public SimCluster crash(long id) {
    sim.crash(id);
    return this;
  }

  /**
   * Stops the server cleanly (its disk is flushed first).
   *
   * @param id the server
   * @return this cluster
   */
  public SimCluster stop(long id) {
    sim.stop(id);
    return this;
  }

  /**
   * Starts a crashed or stopped server again from what its disk holds.
   *
   * @param id the server
   * @return this cluster
   */
  public SimCluster restart(long id) {
    return start(id);
  }

  /**
   * The server stops processing for {@code duration} (a long GC pause); messages wait for it.
   *
   * @param id the server
   * @param duration how long, in simulated time
   * @return this cluster
   */
  public SimCluster pause(long id, Duration duration) {
    sim.pause(id, micros(duration));
    return this;
  }

  // ---- network ----

  /**
   * Cuts every link between the two groups (both directions) until {@link #heal()}.
   *
   * @param side the servers on one side
   * @param otherSide the servers on the other side
   * @return this cluster
   */
  public SimCluster partition(Set<Long> side, Set<Long> otherSide) {
    sim.partition(side, otherSide);
    return this;
  }

  /**
   * Cuts {@code id} off from every other server until {@link #heal()}.
   *
   * @param id the server
   * @return this cluster
   */
  public SimCluster isolate(long id) {
    Set<Long> others = sim.voters().stream().filter(v -> v != id).collect(Collectors.toSet());
    return partition(Set.of(id), others);
  }

  /**
   * Stalls one direction only ({@code from}'s messages to {@code to} wait, the other way flows): a
   * half-open connection that breaks after a TCP timeout (1-15 s) unless healed first.
   *
   * @param from the server whose messages wait
   * @param to the server they are addressed to
   * @return this cluster
   */
  public SimCluster block(long from, long to) {
    sim.block(from, to);
    return this;
  }

  /**
   * Lifts every partition and stall; stalled messages go on in order.
   *
   * @return this cluster
   */
  public SimCluster heal() {
    sim.heal();
    return this;
  }

  // ---- clients ----

  /**
   * A client submits {@code data} on server {@code id} (a follower forwards it to the leader). Not awaited: run
   * time, or {@link #await} it.
   *
   * @param id the server the client talks to
   * @param data the txn's payload
   * @return the request, PENDING until answered (REJECTED at once if the server is down)
   */
  public SimRequest submit(long id, byte[] data) {
    SimRequest r = sim.submit(id, data);
    failIfBroken();
    return r;
  }

  /**
   * A client asks server {@code id} for a read barrier (node.sync()). Not awaited: run time, or {@link #await} it.
   *
   * @param id the server the client talks to
   * @return the request, PENDING until answered
   */
  public SimRequest sync(long id) {
    SimRequest r = sim.readBarrier(id);
    failIfBroken();
    return r;
  }

  // ---- membership (issue 11) ----

  /**
   * The configuration server {@code id} serves: the newest committed one it knows (members with roles, version).
   *
   * @param id the server
   * @return its configuration
   */
  public ClusterConfiguration configuration(long id) {
    return sim.server(id).node().configuration();
  }

  /**
   * An operator asks server {@code on} to move to {@code target} (compare-and-set on {@code target.version()});
   * servers that become voters get {@code catchUp} to catch up first. Not awaited: see {@link #await}.
   *
   * @param on the server asked
   * @param target the configuration wanted, derived from {@link #configuration(long)}
   * @param catchUp how long new voters may take to catch up, in simulated time (rounded down to ticks, at least one)
   * @return the request: COMPLETED once committed, or REJECTED with a code
   */
  public SimRequest reconfigure(long on, ClusterConfiguration target, Duration catchUp) {
    SimRequest r = sim.reconfigure(on, target, Math.max(1, micros(catchUp) / sim.config().tickMicros()));
    failIfBroken();
    return r;
  }

  /**
   * Adds server {@code id} as an observer, asked on the established leader, and waits for the answer.
   *
   * @param id the server, started already
   * @return the answered request (COMPLETED, or REJECTED with a code)
   * @throws IllegalStateException if no leader is established within {@link #DEFAULT_PATIENCE}
   */
  public SimRequest addObserver(long id) {
    return change(c -> c.withObserver(Member.local(id)));
  }

  /**
   * Adds server {@code id} as a voter (or promotes an observer), asked on the established leader; waits for the
   * answer. The server has 30 s of simulated time to catch up.
   *
   * @param id the server, started already
   * @return the answered request (COMPLETED, or REJECTED with a code)
   * @throws IllegalStateException if no leader is established within {@link #DEFAULT_PATIENCE}
   */
  public SimRequest addVoter(long id) {
    return change(c -> c.withVoter(Member.local(id)));
  }

  /**
   * Removes server {@code id} (voter or observer), asked on the established leader; waits for the answer.
   *
   * @param id the server
   * @return the answered request (COMPLETED, or REJECTED with a code)
   * @throws IllegalStateException if no leader is established within {@link #DEFAULT_PATIENCE}
   */
  public SimRequest removeMember(long id) {
    return change(c -> c.without(id));
  }

  private SimRequest change(java.util.function.UnaryOperator<ClusterConfiguration> change) {
    runUntilLeaderElected();
    long leader = establishedLeader();
    return await(reconfigure(leader, change.apply(configuration(leader)), Duration.ofSeconds(30)));
  }

  /**
   * An operator asks the established leader to hand leadership over to {@code target} within {@code timeout};
   * waits for the answer (COMPLETED once {@code target} leads, REJECTED with TRANSFER_FAILED otherwise).
   *
   * @param target the server to lead next
   * @param timeout how long it may take to catch up, in simulated time
   * @return the answered request
   * @throws IllegalStateException if no leader is established within {@link #DEFAULT_PATIENCE}
   */
  public SimRequest transferLeadership(long target, Duration timeout) {
    runUntilLeaderElected();
    SimRequest r = sim.transferLeadership(establishedLeader(), target,
        Math.max(1, micros(timeout) / sim.config().tickMicros()));
    failIfBroken();
    return await(r);
  }

  /**
   * Runs until {@code request} is answered (or {@link #DEFAULT_PATIENCE} of simulated time runs out).
   *
   * @param request a request of this cluster
   * @return {@code request}, still PENDING if the patience ran out
   * @throws SimulationFailure if an invariant broke meanwhile
   */
  public SimRequest await(SimRequest request) {
    sim.runUntil(request::done, micros(DEFAULT_PATIENCE));
    failIfBroken();
    return request;
  }

  // ---- time ----

  /**
   * Runs the simulation for {@code d} of simulated time.
   *
   * @param d how long
   * @return this cluster
   * @throws SimulationFailure if an invariant broke meanwhile
   */
  public SimCluster advanceTime(Duration d) {
    sim.runFor(micros(d));
    return failIfBroken();
  }

  /**
   * Runs until {@code condition} holds.
   *
   * @param condition checked between simulation steps
   * @param patience the most simulated time to run
   * @return true if it held, false if it did not within {@code patience}
   * @throws SimulationFailure if an invariant broke meanwhile
   */
  public boolean runUntil(BooleanSupplier condition, Duration patience) {
    boolean held = sim.runUntil(condition, micros(patience));
    failIfBroken();
    return held;
  }

  /**
   * Runs until every running server is in one established epoch: one leader, every other running server
   * following it and serving (sync done) in the leader's epoch, and all of them have applied
   * everything the leader committed.
   *
   * @return this cluster
   * @throws IllegalStateException if that does not happen within {@link #DEFAULT_PATIENCE}
   * @throws SimulationFailure if an invariant broke meanwhile
   */
  public SimCluster runUntilStable() {
    if (!runUntil(this::stable, DEFAULT_PATIENCE)) {
      throw new IllegalStateException("cluster not stable after " + DEFAULT_PATIENCE.toSeconds()
          + "s of simulated time (seed " + seed() + "): " + describe());
    }
    return this;
  }

  /**
   * Runs until a leader is established with a quorum following it in its epoch and connected to it (servers
   * cut off from it may still be LOOKING). Right after {@code isolate(leader)} this waits for the new leader
   * of the majority: the isolated one no longer counts, although it still says LEADING until it notices.
   *
   * @return this cluster
   * @throws IllegalStateException if that does not happen within {@link #DEFAULT_PATIENCE}
   * @throws SimulationFailure if an invariant broke meanwhile
   */
  public SimCluster runUntilLeaderElected() {
    if (!runUntil(() -> establishedLeader() != 0, DEFAULT_PATIENCE)) {
      throw new IllegalStateException("no leader with a quorum after " + DEFAULT_PATIENCE.toSeconds()
          + "s of simulated time (seed " + seed() + "): " + describe());
    }
    return this;
  }

  // ---- observation ----

  /**
   * The role of server {@code id}.
   *
   * @param id the server
   * @return its role, or null when it is not running
   */
  public Role role(long id) {
    return sim.server(id).role();
  }

  /**
   * Whether server {@code id} runs (started, and not crashed or stopped since; a paused server runs).
   *
   * @param id the server
   * @return true if it runs
   */
  public boolean isRunning(long id) {
    return sim.server(id).alive();
  }

  /**
   * The leader server {@code id} follows or is.
   *
   * @param id the server
   * @return the leader's id; 0 when it is LOOKING or not running
   */
  public long leaderSeenBy(long id) {
    SimServer s = sim.server(id);
    return s.alive() && s.role() != Role.LOOKING ? s.node().leader() : 0;
  }

  /**
   * The established leader: a LEADING server that serves clients in its current epoch (its core announced it,
   * after syncing a quorum) with a quorum (itself included) of servers that follow it, serve in that epoch and are
   * still connected to it. Connected matters right after a cut: an isolated leader and its former followers still
   * say LEADING/FOLLOWING until they notice, but it is no longer the leader.
   *
   * @return its id, or 0 if there is none
   */
  public long establishedLeader() {
    for (SimServer s : sim.servers()) {
      if (s.role() == Role.LEADING && s.synced()) {
        Set<Long> backing = sim.servers().stream().filter(f -> f == s || (f.role() == Role.FOLLOWING && f.synced()
            && f.node().leader() == s.id() && f.node().currentEpoch() == s.node().currentEpoch()
            && sim.network().connected(s.id(), f.id()))).map(SimServer::id).collect(Collectors.toSet());
        io.zab.wire.Membership m = s.node().membership();
        if (majority(m.current(), backing) && (!m.joint() || majority(m.next(), backing))) {
          return s.id();
        }
      }
    }
    return 0;
  }

  private static boolean majority(ClusterConfiguration c, Set<Long> ids) {
    return 2 * c.voterIds().stream().filter(ids::contains).count() > c.voterIds().size();
  }

  /**
   * The running servers following {@code leader}.
   *
   * @param leader a server id
   * @return their ids, ascending
   */
  public Set<Long> followersOf(long leader) {
    return sim.servers().stream().filter(s -> s.alive() && s.role() == Role.FOLLOWING && s.node().leader() == leader)
        .map(SimServer::id).collect(Collectors.toCollection(java.util.TreeSet::new));
  }

  /**
   * The last zxid in server {@code id}'s log (possibly not yet committed).
   *
   * @param id the server
   * @return that zxid, or {@link Zxid#ZERO} for an empty log
   */
  public Zxid lastZxid(long id) {
    return sim.server(id).node().lastZxid();
  }

  /**
   * Server {@code id}'s current epoch: the last one whose leader it synced with.
   *
   * @param id the server
   * @return the epoch
   */
  public long currentEpoch(long id) {
    return sim.server(id).node().currentEpoch();
  }

  /**
   * The zxid of the last txn server {@code id} applied to its state machine.
   *
   * @param id the server
   * @return that zxid, or {@link Zxid#ZERO} if none
   */
  public Zxid appliedZxid(long id) {
    return sim.server(id).applied();
  }

  /**
   * Server {@code id}'s state machine: the instance the builder's supplier made at its last start.
   *
   * @param <T> the state machine's class, as the caller expects it (unchecked)
   * @param id the server
   * @return its state machine, or null if it never started
   */
  @SuppressWarnings("unchecked")
  public <T extends StateMachine> T stateMachine(long id) {
    return (T) sim.server(id).stateMachine();
  }

  /**
   * The committed history, as delivered (every server applies a prefix of it).
   *
   * @return every committed txn, in zxid order
   */
  public List<Txn> committed() {
    return sim.history().txns();
  }

  /**
   * Whether a txn with exactly this payload was ever committed.
   *
   * @param payload the txn's bytes
   * @return true if it is in the committed history
   */
  public boolean wasCommitted(byte[] payload) {
    return committed().stream().anyMatch(t -> Arrays.equals(t.data(), payload));
  }

  /**
   * Election notifications sent so far (S5: rounds and votes), oldest first.
   *
   * @return a copy of the list
   */
  public List<SentMessage> notifications() {
    return List.copyOf(notifications);
  }

  /**
   * Everything that happened so far, as a picture's worth of events: each server's role and epoch over time,
   * elections, crashes, partitions and commits ({@code timeline().writeHtml(path)} draws it).
   *
   * @return the timeline up to the current simulated time
   */
  public Timeline timeline() {
    return timeline.timeline("SimCluster, seed " + seed() + ", " + size() + " servers");
  }

  /**
   * The invariant violations found so far (the calls that run the simulation throw {@link SimulationFailure} as
   * soon as there is one).
   *
   * @return the violations, in the order they were found; empty if none
   */
  public List<Violation> violations() {
    return sim.violations().all();
  }

  /**
   * Each server's state, for failure messages.
   *
   * @return one line per server: role, leader, epoch, last and applied zxid
   */
  public String describe() {
    return sim.describeServers();
  }

  private boolean stable() {
    long leader = establishedLeader();
    if (leader == 0) {
      return false;
    }
    SimServer l = sim.server(leader);
    Zxid committed = l.node().committedZxid();
    io.zab.wire.Membership members = l.node().membership();
    for (SimServer s : sim.servers()) {
      if (!s.alive() || !members.isMember(s.id())) {
        continue; // down, or not a member (yet, or any more): it takes no part
      }
      if (s.paused() || !s.applied().equals(committed)) {
        return false;
      }
      Role following = members.isVoter(s.id()) ? Role.FOLLOWING : Role.OBSERVING;
      if (s.id() != leader && (s.role() != following || !s.synced() || s.node().leader() != leader
          || s.node().currentEpoch() != l.node().currentEpoch())) {
        return false;
      }
    }
    return true;
  }

  private SimCluster failIfBroken() {
    if (sim.violations().any()) {
      throw new SimulationFailure(seed(), sim.violations().all(), sim.lastSteps());
    }
    return this;
  }

  private static long micros(Duration d) {
    return d.toNanos() / 1000;
  }

  /** Builds a {@link SimCluster}; every setting has a default except the state machine. */
  public static final class Builder {
    private int servers = 3;
    private long seed = 1;
    private Supplier<? extends StateMachine> stateMachines;
    private ProtocolFactory protocol;
    private Duration tick = Duration.ofMillis(50);
    private NetworkModel network = NetworkModel.lan();
    private Duration fsyncMin = Duration.ofNanos(200_000);
    private Duration fsyncMax = Duration.ofMillis(3);
    private DiskFaults diskFaults = DiskFaults.CORRECT;
    private int snapshotEvery = 1000;
    private int initialVoters;

    private Builder() {}

    /**
     * Number of servers, ids 1..n (default 3); all vote unless {@link #initialVoters} says otherwise.
     *
     * @param n 1 to 64
     * @return this builder
     */
    public Builder servers(int n) {
      this.servers = n;
      return this;
    }

    /**
     * Only servers 1..n vote in the initial configuration (default: all). The others start as a server to be added
     * does (the initial voters, and itself as an observer) and take part once a reconfiguration adds them
     * ({@link SimCluster#addVoter}, {@link SimCluster#addObserver}).
     *
     * @param n 1 to {@code servers}; 0 means all
     * @return this builder
     */
    public Builder initialVoters(int n) {
      this.initialVoters = n;
      return this;
    }

    /**
     * The seed every random choice derives from (default 1). Same seed, same run.
     *
     * @param s the seed
     * @return this builder
     */
    public Builder seed(long s) {
      this.seed = s;
      return this;
    }

    /**
     * Makes each server's state machine (required), at every start.
     *
     * @param factory returns a new instance on every call
     * @return this builder
     */
    public Builder stateMachine(Supplier<? extends StateMachine> factory) {
      this.stateMachines = Objects.requireNonNull(factory, "factory");
      return this;
    }

    /**
     * The protocol core to run (default: zab's own core with default timing).
     *
     * @param p makes each server's core ({@code PeerProtocol.factory(timing)}, or a deliberately broken one)
     * @return this builder
     */
    public Builder protocol(ProtocolFactory p) {
      this.protocol = Objects.requireNonNull(p, "protocol");
      return this;
    }

    /**
     * Simulated time per core tick (default 50 ms, the runtime's default).
     *
     * @param d the tick, at least 1 µs
     * @return this builder
     */
    public Builder tick(Duration d) {
      this.tick = d;
      return this;
    }

    /**
     * The network's latencies and how fast connections break and come back (default {@link NetworkModel#lan()}).
     *
     * @param m the model
     * @return this builder
     */
    public Builder network(NetworkModel m) {
      this.network = Objects.requireNonNull(m, "network");
      return this;
    }

    /**
     * The range of simulated fsync durations (default 0.2-3 ms).
     *
     * @param min the shortest fsync, not negative
     * @param max the longest, at least {@code min}
     * @return this builder
     */
    public Builder fsync(Duration min, Duration max) {
      this.fsyncMin = min;
      this.fsyncMax = max;
      return this;
    }

    /**
     * A deliberately buggy disk, to see that a test catches what it should (default {@code DiskFaults.CORRECT}).
     *
     * @param f how the disks misbehave
     * @return this builder
     */
    public Builder diskFaults(DiskFaults f) {
      this.diskFaults = Objects.requireNonNull(f, "diskFaults");
      return this;
    }

    /**
     * Take a snapshot every n applied txns (default 1000; 0 never).
     *
     * @param n applied txns between snapshots, or 0
     * @return this builder
     */
    public Builder snapshotEvery(int n) {
      this.snapshotEvery = n;
      return this;
    }

    /**
     * Builds the cluster; no server runs until {@code start}/{@code startAll}.
     *
     * @return the cluster, at simulated time zero
     * @throws IllegalStateException if no state machine was set
     * @throws IllegalArgumentException if a setting is out of range (the message names it)
     */
    public SimCluster build() {
      if (stateMachines == null) {
        throw new IllegalStateException("SimCluster.builder(): stateMachine(...) is required");
      }
      SimConfig config = new SimConfig(servers, seed, micros(tick), network, micros(fsyncMin), micros(fsyncMax),
          diskFaults, snapshotEvery, protocol != null ? protocol : PeerProtocol.factory(), stateMachines, false)
          .withInitialVoters(initialVoters);
      return new SimCluster(new Simulation(config));
    }
  }
}
