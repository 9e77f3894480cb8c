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

  /** A message one server sent another (recorded for election messages, to assert on S5 rounds). */
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

  public static Builder builder() {
    return new Builder();
  }

  /** The simulation underneath (network, disks, history), for tests that need more than this API. */
  public Simulation simulation() {
    return sim;
  }

  public long seed() {
    return sim.config().seed();
  }

  public int size() {
    return sim.config().servers();
  }

  /** Simulated time since the cluster was built. */
  public Duration now() {
    return Duration.ofNanos(sim.now() * 1000);
  }

  // ---- servers ----

  /** Starts (or restarts, after a crash or stop) the given servers, one after another at the same instant. */
  public SimCluster start(long... ids) {
    for (long id : ids) {
      sim.start(id);
    }
    return failIfBroken();
  }

  /** Starts every server that is not running. */
  public SimCluster startAll() {
    for (SimServer s : sim.servers()) {
      if (!s.alive()) {
        sim.start(s.id());
      }
    }
    return failIfBroken();
  }

  /** Kills the process: unsynced log writes are lost, outstanding requests get an unknown outcome. */
  public SimCluster crash(long id) {
    sim.crash(id);
    return this;
  }

  /** Stops the server cleanly (its disk is flushed first). */
  public SimCluster stop(long id) {
    sim.stop(id);
    return this;
  }

  /** Starts a crashed or stopped server again from what its disk holds. */
  public SimCluster restart(long id) {
    return start(id);
  }

  /** The server stops processing for {@code duration} (a long GC pause); messages wait for it. */
  public SimCluster pause(long id, Duration duration) {
    sim.pause(id, micros(duration));
    return this;
  }

  // ---- network ----

  /** Cuts every link between the two groups. */
  public SimCluster partition(Set<Long> side, Set<Long> otherSide) {
    sim.partition(side, otherSide);
    return this;
  }

  /** Cuts {@code id} off from every other server. */
  public SimCluster isolate(long id) {
    Set<Long> others = sim.voters().stream().filter(v -> v != id).collect(Collectors.toSet());
    return partition(Set.of(id), others);
  }

  /**
   * Stalls one direction only ({@code from}'s messages to {@code to} wait, the other way flows): a
   * half-open connection that breaks after a TCP timeout (1-15 s) unless healed first.
   */
  public SimCluster block(long from, long to) {
    sim.block(from, to);
    return this;
  }

  /** Lifts every partition and stall; stalled messages go on in order. */
  public SimCluster heal() {
    sim.heal();
    return this;
  }

  // ---- clients ----

  /** A client submits {@code data} on server {@code id} (a follower forwards it to the leader). */
  public SimRequest submit(long id, byte[] data) {
    SimRequest r = sim.submit(id, data);
    failIfBroken();
    return r;
  }

  /** A client asks server {@code id} for a read barrier (node.sync()). */
  public SimRequest sync(long id) {
    SimRequest r = sim.readBarrier(id);
    failIfBroken();
    return r;
  }

  // ---- membership (issue 11) ----

  /**
   * The configuration server {@code id} serves: the newest committed one it knows (members with roles, version).
   */
  public ClusterConfiguration configuration(long id) {
    return sim.server(id).node().configuration();
  }

  /**
   * An operator asks server {@code on} to move to {@code target} (compare-and-set on {@code target.version()});
   * servers that become voters get {@code catchUp} to catch up first. Not awaited: see {@link #await}.
   */
  public SimRequest reconfigure(long on, ClusterConfiguration target, Duration catchUp) {
    SimRequest r = sim.reconfigure(on, target, Math.max(1, micros(catchUp) / sim.config().tickMicros()));
    failIfBroken();
    return r;
  }

  /** Adds server {@code id} as an observer, asked on the established leader, and waits for the answer. */
  public SimRequest addObserver(long id) {
    return change(c -> c.withObserver(Member.local(id)));
  }

  /** Adds server {@code id} as a voter (or promotes an observer), asked on the established leader; waits. */
  public SimRequest addVoter(long id) {
    return change(c -> c.withVoter(Member.local(id)));
  }

  /** Removes server {@code id} (voter or observer), asked on the established leader; waits for the answer. */
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
   */
  public SimRequest transferLeadership(long target, Duration timeout) {
    runUntilLeaderElected();
    SimRequest r = sim.transferLeadership(establishedLeader(), target,
        Math.max(1, micros(timeout) / sim.config().tickMicros()));
    failIfBroken();
    return await(r);
  }

  /** Runs until {@code request} is answered (or the patience runs out); returns it. */
  public SimRequest await(SimRequest request) {
    sim.runUntil(request::done, micros(DEFAULT_PATIENCE));
    failIfBroken();
    return request;
  }

  // ---- time ----

  public SimCluster advanceTime(Duration d) {
    sim.runFor(micros(d));
    return failIfBroken();
  }

  /** Runs until {@code condition} holds; false if it did not within {@code patience}. */
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
   * @throws IllegalStateException if that does not happen within {@link #DEFAULT_PATIENCE}
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
   * @throws IllegalStateException if that does not happen within {@link #DEFAULT_PATIENCE}
   */
  public SimCluster runUntilLeaderElected() {
    if (!runUntil(() -> establishedLeader() != 0, DEFAULT_PATIENCE)) {
      throw new IllegalStateException("no leader with a quorum after " + DEFAULT_PATIENCE.toSeconds()
          + "s of simulated time (seed " + seed() + "): " + describe());
    }
    return this;
  }

  // ---- observation ----

  /** The role of server {@code id}, or null when it is not running. */
  public Role role(long id) {
    return sim.server(id).role();
  }

  public boolean isRunning(long id) {
    return sim.server(id).alive();
  }

  /** The leader server {@code id} follows or is (0 when none or not running). */
  public long leaderSeenBy(long id) {
    SimServer s = sim.server(id);
    return s.alive() && s.role() != Role.LOOKING ? s.node().leader() : 0;
  }

  /**
   * The established leader, or 0: a LEADING server that serves clients in its current epoch (its core
   * announced it, after syncing a quorum) with a quorum (itself included) of servers that follow it, serve
   * in that epoch and are still connected to it. Connected matters right after a cut: an isolated leader
   * and its former followers still say LEADING/FOLLOWING until they notice, but it is no longer the leader.
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

  /** Ids of the running servers following {@code leader}. */
  public Set<Long> followersOf(long leader) {
    return sim.servers().stream().filter(s -> s.alive() && s.role() == Role.FOLLOWING && s.node().leader() == leader)
        .map(SimServer::id).collect(Collectors.toCollection(java.util.TreeSet::new));
  }

  public Zxid lastZxid(long id) {
    return sim.server(id).node().lastZxid();
  }

  public long currentEpoch(long id) {
    return sim.server(id).node().currentEpoch();
  }

  /** The zxid of the last txn server {@code id} applied to its state machine. */
  public Zxid appliedZxid(long id) {
    return sim.server(id).applied();
  }

  /** Server {@code id}'s state machine (the instance made by the builder's supplier). */
  @SuppressWarnings("unchecked")
  public <T extends StateMachine> T stateMachine(long id) {
    return (T) sim.server(id).stateMachine();
  }

  /** The committed history, as delivered (every server applies a prefix of it). */
  public List<Txn> committed() {
    return sim.history().txns();
  }

  /** Whether a txn with exactly this payload was ever committed. */
  public boolean wasCommitted(byte[] payload) {
    return committed().stream().anyMatch(t -> Arrays.equals(t.data(), payload));
  }

  /** Election notifications sent so far (S5: rounds and votes), oldest first. */
  public List<SentMessage> notifications() {
    return List.copyOf(notifications);
  }

  /**
   * Everything that happened so far, as a picture's worth of events: each server's role and epoch over time,
   * elections, crashes, partitions and commits ({@code timeline().writeHtml(path)} draws it).
   */
  public Timeline timeline() {
    return timeline.timeline("SimCluster, seed " + seed() + ", " + size() + " servers");
  }

  public List<Violation> violations() {
    return sim.violations().all();
  }

  /** One line per server: role, leader, epoch, last and applied zxid. */
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

    /** Number of servers, ids 1..n (default 3); all vote unless {@link #initialVoters} says otherwise. */
    public Builder servers(int n) {
      this.servers = n;
      return this;
    }

    /**
     * Only servers 1..n vote in the initial configuration (default: all). The others start as a server to be added
     * does (the initial voters, and itself as an observer) and take part once a reconfiguration adds them
     * ({@link SimCluster#addVoter}, {@link SimCluster#addObserver}).
     */
    public Builder initialVoters(int n) {
      this.initialVoters = n;
      return this;
    }

    /** The seed every random choice derives from (default 1). Same seed, same run. */
    public Builder seed(long s) {
      this.seed = s;
      return this;
    }

    /** Makes each server's state machine (required). */
    public Builder stateMachine(Supplier<? extends StateMachine> factory) {
      this.stateMachines = Objects.requireNonNull(factory, "factory");
      return this;
    }

    /** The protocol core to run (default: zab's own core with default timing). */
    public Builder protocol(ProtocolFactory p) {
      this.protocol = Objects.requireNonNull(p, "protocol");
      return this;
    }

    /** Simulated time per core tick (default 50 ms, the runtime's default). */
    public Builder tick(Duration d) {
      this.tick = d;
      return this;
    }

    public Builder network(NetworkModel m) {
      this.network = Objects.requireNonNull(m, "network");
      return this;
    }

    /** The range of simulated fsync durations (default 0.2-3 ms). */
    public Builder fsync(Duration min, Duration max) {
      this.fsyncMin = min;
      this.fsyncMax = max;
      return this;
    }

    /** A deliberately buggy disk, to see that a test catches what it should. */
    public Builder diskFaults(DiskFaults f) {
      this.diskFaults = Objects.requireNonNull(f, "diskFaults");
      return this;
    }

    /** Take a snapshot every n applied txns (default 1000; 0 never). */
    public Builder snapshotEvery(int n) {
      this.snapshotEvery = n;
      return this;
    }

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
