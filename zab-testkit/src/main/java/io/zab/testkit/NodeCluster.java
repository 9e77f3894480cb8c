package io.zab.testkit;

import io.zab.ClusterConfiguration;
import io.zab.Member;
import io.zab.NoQuorumException;
import io.zab.Role;
import io.zab.StateMachine;
import io.zab.Timeouts;
import io.zab.ZabNode;
import io.zab.Zxid;
import io.zab.testkit.timeline.Timeline;
import io.zab.testkit.timeline.TimelineEvent;
import io.zab.testkit.timeline.TimelineEvent.Link;
import io.zab.testkit.timeline.TimelineRecorder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A cluster of real {@link ZabNode}s in this JVM for your tests: real threads, real files (a temporary
 * directory per server), and zab's in-JVM network by default (every message through the wire codec) or
 * Netty on loopback. Servers stop and restart on their data directories; the in-JVM network can be cut.
 * Waiting helpers wait for events with a timeout (no sleeping), and everything that happens is recorded as a
 * {@link Timeline} you can draw ({@code timeline().writeHtml(path)}).
 *
 * <pre>{@code
 * try (NodeCluster cluster = NodeCluster.builder().servers(3).stateMachine(MyStateMachine::new).build()) {
 *   cluster.startAll();
 *   long leader = cluster.awaitLeader();
 *   cluster.write(1, "x=1");                    // a follower forwards it; returns once applied on server 1
 *   cluster.isolate(leader);
 *   long next = cluster.awaitLeader();          // the majority's new leader, never the isolated one
 *   MyStateMachine sm = cluster.stateMachine(next);
 * }
 * }</pre>
 *
 * <p>"Established" means what the core announces to {@code ZabListener}s: a server leads or follows in an
 * epoch once its core announced that role (after syncing with a quorum) and has not announced another since.
 * {@link #awaitLeader()} waits for a leader with a quorum of such followers that are still connected to it.
 *
 * <p>Thread-safe; meant to be driven by one test thread. Server ids are 1..servers. Its safety checks run as
 * servers apply txns: see {@link #violations()}.
 */
public final class NodeCluster implements AutoCloseable {
  /** How long the waiting helpers wait unless told otherwise. */
  public static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);
  /** ZabNode's default tick, the one {@link Timeouts#defaults()} are meant for. */
  private static final Duration DEFAULT_TICK = Duration.ofMillis(50);

  private final int initialSize;
  private volatile int size;
  /** The address of each server added after the initial ones (issue 11). */
  private final Map<Long, Member> added = new ConcurrentHashMap<>();
  /** The newest configuration a reconfiguration through this cluster committed (null: the initial one). */
  private volatile ClusterConfiguration lastConfiguration;
  private final NodeLinks links;
  private final Path root;
  private final boolean ownRoot;
  private final Duration tick;
  private final Supplier<? extends StateMachine> stateMachines;
  private final UnaryOperator<ZabNode.Builder> configure;
  private final String name;
  private final long t0 = System.nanoTime();
  private final TimelineRecorder recorder = new TimelineRecorder(() -> (System.nanoTime() - t0) / 1000);
  private final ReplicaChecks checks = new ReplicaChecks(recorder);
  private final Waiter waiter = new Waiter();
  private final Map<Long, ZabNode> running = new ConcurrentHashMap<>();
  private final Map<Long, StateMachine> machines = new ConcurrentHashMap<>();
  private final ClusterRoles roles;
  private final Set<Link> cut = new java.util.concurrent.CopyOnWriteArraySet<>();
  private boolean closed;

  private NodeCluster(Builder b, NodeLinks links, Path root, boolean ownRoot) {
    this.size = b.servers;
    this.initialSize = b.servers;
    this.links = links;
    this.root = root;
    this.ownRoot = ownRoot;
    this.tick = b.tick;
    this.stateMachines = b.stateMachines;
    this.configure = b.configure;
    this.name = b.name;
    this.roles = new ClusterRoles(running, links);
    recorder.onRecord(waiter::signal);
  }

  /**
   * A builder; see the class example.
   *
   * @return a new builder, every setting at its default
   */
  public static Builder builder() {
    return new Builder();
  }

  // ---- servers ----

  /**
   * Starts every server that is not running, one after another.
   *
   * @return this cluster
   * @throws UncheckedIOException if a server cannot start from its data directory (the message says why)
   */
  public NodeCluster startAll() {
    for (long id : ids()) {
      if (!isRunning(id)) {
        start(id);
      }
    }
    return this;
  }

  /**
   * Starts the given servers (each from what its data directory holds, with a new state machine restored
   * from its snapshot).
   *
   * @param ids the servers to start, in this order
   * @return this cluster
   * @throws UncheckedIOException if a server cannot start from its data directory (the message says why)
   * @throws IllegalStateException if one is already running, or the cluster is closed
   */
  public synchronized NodeCluster start(long... ids) {
    for (long id : ids) {
      requireServer(id);
      if (running.containsKey(id)) {
        throw new IllegalStateException("server " + id + " is already running");
      }
      requireOpen();
      StateMachine sm = stateMachines.get();
      ZabNode.Builder b = ZabNode.builder()
          .serverId(id)
          .members(id <= initialSize ? links.members() : currentConfiguration().voters())
          .observers(id <= initialSize ? List.of() : List.of(member(id)))
          .dataDir(dataDir(id))
          .transport(links.transport())
          .stateMachine(ObservedStateMachine.of(id, sm, checks))
          .tick(tick)
          .timeouts(Timeouts.defaults().scaledBy((double) tick.toNanos() / DEFAULT_TICK.toNanos()));
      ZabNode node = configure.apply(b).build();
      node.addListener(e -> {
        roles.announced(id, e);
        recorder.record(new TimelineEvent.RoleChanged(recorder.now(), id, e.role(), e.leader().orElse(0), e.epoch()));
      });
      node.stopped().whenComplete((ok, fatal) -> {
        if (fatal != null) {
          recorder.record(new TimelineEvent.Note(recorder.now(), "s" + id + " stopped on its own: "
              + fatal.getMessage()));
        }
      });
      roles.forget(id);
      checks.restored(id); // a new state machine: its apply order starts over (from its snapshot, or from nothing)
      machines.put(id, sm);
      recorder.record(new TimelineEvent.Started(recorder.now(), id));
      try {
        node.start();
      } catch (IOException | RuntimeException e) {
        recorder.record(new TimelineEvent.Note(recorder.now(), "s" + id + " failed to start: " + e.getMessage()));
        recorder.record(new TimelineEvent.Stopped(recorder.now(), id, false));
        if (e instanceof IOException io) {
          throw new UncheckedIOException("server " + id + " cannot start from " + dataDir(id) + ": " + e.getMessage(), io);
        }
        throw (RuntimeException) e;
      }
      running.put(id, node);
      waiter.signal();
    }
    return this;
  }

  /**
   * Stops server {@code id} cleanly ({@code ZabNode.close()}: what it wrote stays on its disk). Does nothing if it
   * is not running.
   *
   * @param id the server
   * @return this cluster
   */
  public synchronized NodeCluster stop(long id) {
    requireServer(id);
    ZabNode n = running.remove(id);
    if (n != null) {
      n.close();
      roles.forget(id);
      recorder.record(new TimelineEvent.Stopped(recorder.now(), id, false));
    }
    return this;
  }

  /**
   * Stops server {@code id} if it runs, then starts it again from its data directory.
   *
   * @param id the server
   * @return this cluster
   * @throws UncheckedIOException if it cannot start from its data directory
   */
  public NodeCluster restart(long id) {
    stop(id);
    return start(id);
  }

  // ---- network (in-JVM network only) ----

  /**
   * Cuts every link of server {@code id} until {@link #heal()}. It still says LEADING or FOLLOWING until it
   * notices (its sync limit): {@link #awaitLeader()} does not count it meanwhile.
   *
   * @param id the server to cut off from all others
   * @return this cluster
   * @throws UnsupportedOperationException over Netty
   */
  public NodeCluster isolate(long id) {
    requireServer(id);
    return cutLinks("isolate s" + id, ids().stream().filter(o -> o != id).map(o -> Link.of(id, o)).toList());
  }

  /**
   * Cuts every link between the two groups until {@link #heal()}; earlier cuts stay.
   *
   * @param side the servers on one side
   * @param otherSide the servers on the other side
   * @return this cluster
   * @throws UnsupportedOperationException over Netty
   */
  public NodeCluster partition(Set<Long> side, Set<Long> otherSide) {
    List<Link> links = new ArrayList<>();
    for (long a : side) {
      requireServer(a);
      for (long b : otherSide) {
        requireServer(b);
        if (a != b) {
          links.add(Link.of(a, b));
        }
      }
    }
    return cutLinks("partition " + new TreeSet<>(side) + " | " + new TreeSet<>(otherSide), links);
  }

  /**
   * Cuts the link between {@code a} and {@code b} until {@link #heal()}.
   *
   * @param a one server
   * @param b another server
   * @return this cluster
   * @throws UnsupportedOperationException over Netty
   */
  public NodeCluster disconnect(long a, long b) {
    requireServer(a);
    requireServer(b);
    return cutLinks("disconnect s" + a + "-s" + b, List.of(Link.of(a, b)));
  }

  private synchronized NodeCluster cutLinks(String what, List<Link> links) {
    if (!this.links.faults()) {
      this.links.cut(0, 0); // throws, naming what to do instead
    }
    for (Link l : links) {
      this.links.cut(l.low(), l.high());
      cut.add(l);
    }
    recorder.record(new TimelineEvent.NetworkChanged(recorder.now(), what, cut));
    return this;
  }

  /**
   * Lifts every cut; the servers reconnect.
   *
   * @return this cluster
   */
  public synchronized NodeCluster heal() {
    links.heal();
    cut.clear();
    recorder.record(new TimelineEvent.NetworkChanged(recorder.now(), "heal", cut));
    return this;
  }

  /**
   * Whether servers {@code a} and {@code b} have a live connection now.
   *
   * @param a one server
   * @param b another server
   * @return true if both run and the link between them is up
   */
  public boolean connected(long a, long b) {
    return isRunning(a) && isRunning(b) && links.connected(a, b);
  }

  // ---- clients ----

  /**
   * {@code ZabNode.submit} on server {@code id}: the future as zab returns it.
   *
   * @param id the server taking the write
   * @param txn the transaction's payload
   * @return completes with the txn's zxid once committed and applied on {@code id}, or fails with zab's error
   * @throws IllegalStateException if the server is not running
   */
  public CompletableFuture<Zxid> submit(long id, byte[] txn) {
    return node(id).submit(txn);
  }

  /**
   * Submits {@code txn} on server {@code id} and waits (at most {@link #DEFAULT_WAIT}) until it is committed and
   * applied there.
   *
   * @param id the server taking the write
   * @param txn the transaction's payload
   * @return the txn's zxid
   * @throws AssertionError if it failed or timed out (the message names zab's error and the cluster's state)
   */
  public Zxid write(long id, byte[] txn) {
    return await("write on s" + id, node(id).submit(txn));
  }

  /**
   * {@link #write(long, byte[])} of UTF-8 text.
   *
   * @param id the server taking the write
   * @param text the transaction's payload, as text
   * @return the txn's zxid
   * @throws AssertionError if it failed or timed out
   */
  public Zxid write(long id, String text) {
    return write(id, text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A read barrier on server {@code id}: returns once it applied everything committed before the call (waits at
   * most {@link #DEFAULT_WAIT}).
   *
   * @param id the server to read from next
   * @return the leader's commit point, now applied on {@code id}
   * @throws AssertionError if it failed or timed out
   */
  public Zxid sync(long id) {
    return await("sync on s" + id, node(id).sync());
  }

  private <T> T await(String what, CompletableFuture<T> f) {
    try {
      return f.get(DEFAULT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError(what + " failed: " + e.getCause() + "\n" + describe(), e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError(what + " did not complete within " + DEFAULT_WAIT.toSeconds() + " s\n" + describe());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted during " + what, e);
    }
  }

  // ---- membership (issue 11) ----

  /**
   * A new server id (the next one) with an address of its own: not running and not a member yet. {@link #start}
   * starts it as a server to be added (the current voters as its members, itself as an observer); then
   * {@link #addVoter} or {@link #addObserver} adds it.
   *
   * @return the new server's id
   */
  public synchronized long addServer() {
    requireOpen();
    long id = size + 1;
    added.put(id, links.newMember(id));
    size = (int) id;
    recorder.record(new TimelineEvent.Note(recorder.now(), "s" + id + " added at " + added.get(id)));
    return id;
  }

  /**
   * Server {@code id}'s address.
   *
   * @param id the server
   * @return its member entry, as a configuration lists it
   */
  public Member member(long id) {
    requireServer(id);
    return id <= initialSize ? links.members().get((int) id - 1) : added.get(id);
  }

  /**
   * The configuration in force: as the established leader reports it, else as any running server does, else the
   * last one a reconfiguration through this cluster made (or the initial one).
   *
   * @return the configuration in force as far as the cluster can tell
   */
  public ClusterConfiguration currentConfiguration() {
    long leader = establishedLeader();
    ZabNode n = leader != 0 ? running.get(leader) : running.values().stream().findFirst().orElse(null);
    if (n != null) {
      return n.configuration();
    }
    ClusterConfiguration last = lastConfiguration;
    return last != null ? last : ClusterConfiguration.of(links.members());
  }

  /**
   * {@code ZabNode.reconfigure} on server {@code on}: the future as zab returns it (a concurrent change or a stale
   * {@code target.version()} fails it with a {@code ZabException} saying so).
   *
   * @param on the server asked
   * @param target the configuration wanted, derived from the one in force
   * @return completes with the configuration in force once the change is committed on {@code on}
   */
  public CompletableFuture<ClusterConfiguration> reconfigure(long on, ClusterConfiguration target) {
    note("reconfigure on s" + on + " to " + target);
    return node(on).reconfigure(target).whenComplete((c, e) -> {
      if (c != null) {
        lastConfiguration = c;
        note("configuration " + c);
      }
    });
  }

  /**
   * Asks the established leader to apply {@code change} to the configuration in force and waits (at most
   * {@link #DEFAULT_WAIT}) until the new one is committed; returns it. A refusal because an election began meanwhile
   * ({@code NoQuorumException}: nothing was changed) is asked again of the next leader, on the configuration it has.
   *
   * @param change derives the target from the leader's configuration ({@code c -> c.without(3)})
   * @return the configuration in force once committed
   * @throws AssertionError if it failed or timed out
   */
  public ClusterConfiguration reconfigure(UnaryOperator<ClusterConfiguration> change) {
    long deadline = System.nanoTime() + DEFAULT_WAIT.toNanos();
    while (true) {
      long leader = awaitLeader();
      ClusterConfiguration target = change.apply(node(leader).configuration());
      CompletableFuture<ClusterConfiguration> f = reconfigure(leader, target);
      try {
        return f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof NoQuorumException && System.nanoTime() < deadline) {
          // an election began meanwhile (the leader read a moment ago lost its quorum): nothing was changed, so ask
          // the next leader, as an operator would
          note("reconfiguration to " + target + " refused (" + e.getCause().getMessage() + "); asking again");
          continue;
        }
        throw new AssertionError("reconfiguration to " + target + " failed: " + e.getCause() + "\n" + describe(),
            e.getCause());
      } catch (TimeoutException e) {
        throw new AssertionError("reconfiguration to " + target + " did not complete within "
            + DEFAULT_WAIT.toSeconds() + " s\n" + describe());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted during the reconfiguration to " + target, e);
      }
    }
  }

  /**
   * Adds server {@code id} (see {@link #addServer}) as a voter, or promotes the observer {@code id}; waits until
   * committed.
   *
   * @param id the server, running already
   * @return the configuration in force once committed
   * @throws AssertionError if it failed or timed out
   */
  public ClusterConfiguration addVoter(long id) {
    Member m = member(id);
    return reconfigure(c -> c.withVoter(m));
  }

  /**
   * Adds server {@code id} as an observer (or demotes the voter {@code id}); waits until committed.
   *
   * @param id the server, running already
   * @return the configuration in force once committed
   * @throws AssertionError if it failed or timed out
   */
  public ClusterConfiguration addObserver(long id) {
    Member m = member(id);
    return reconfigure(c -> c.withObserver(m));
  }

  /**
   * Removes server {@code id} (a voter or an observer) from the configuration; waits until committed.
   *
   * @param id the server
   * @return the configuration in force once committed
   * @throws AssertionError if it failed or timed out
   */
  public ClusterConfiguration removeMember(long id) {
    requireServer(id);
    return reconfigure(c -> c.without(id));
  }

  /**
   * {@code ZabNode.transferLeadership} on the established leader: the future as zab returns it (it fails with a
   * {@code LeadershipTransferException} if {@code target} is not up to date within {@code timeout}).
   *
   * @param target the server to lead next
   * @param timeout how long {@code target} may take to catch up
   * @return completes once the old leader follows (or is) {@code target}
   */
  public CompletableFuture<Void> transferLeadership(long target, Duration timeout) {
    long leader = awaitLeader();
    note("transfer leadership from s" + leader + " to s" + target);
    return node(leader).transferLeadership(target, timeout);
  }

  /**
   * Hands leadership over to {@code target} (which has 10 s to catch up) and waits until it is the established
   * leader.
   *
   * @param target the server to lead next
   * @return {@code target}
   * @throws AssertionError if the transfer failed or timed out
   */
  public long transferLeadership(long target) {
    await("leadership transfer to s" + target, transferLeadership(target, Duration.ofSeconds(10)));
    await("s" + target + " established as the leader", DEFAULT_WAIT, () -> establishedLeader() == target);
    return target;
  }

  /**
   * Adds a line of your own to the timeline ("client A takes the lock").
   *
   * @param text the line
   */
  public void note(String text) {
    recorder.record(new TimelineEvent.Note(recorder.now(), text));
  }

  // ---- waiting ----

  /**
   * Waits (at most {@link #DEFAULT_WAIT}) until a leader is established (see {@link #establishedLeader()}) and
   * every running server connected to it follows it in its epoch. Servers cut off from it are ignored, so right
   * after {@code isolate(leader)} this waits for the majority's new leader, and the isolated one (which still says
   * LEADING until it notices) is never returned.
   *
   * @return the leader's id
   * @throws AssertionError on timeout, naming each server's state and the last events
   */
  public long awaitLeader() {
    return awaitLeader(DEFAULT_WAIT);
  }

  /**
   * {@link #awaitLeader()} with another timeout.
   *
   * @param timeout how long to wait
   * @return the leader's id
   * @throws AssertionError on timeout, naming each server's state and the last events
   */
  public long awaitLeader(Duration timeout) {
    long[] leader = {0};
    await("an established leader followed by every server connected to it", timeout, () -> {
      leader[0] = roles.leaderFollowedByAllItReaches();
      return leader[0] != 0;
    });
    return leader[0];
  }

  /**
   * Waits (at most {@link #DEFAULT_WAIT}) until the cluster is stable: a leader is established, every running
   * server follows it in its epoch (connected to it), and every running server has applied the same last zxid, the
   * leader's commit point.
   *
   * @return the leader's id
   * @throws AssertionError on timeout, naming each server's state and the last events
   */
  public long awaitStable() {
    return awaitStable(DEFAULT_WAIT);
  }

  /**
   * {@link #awaitStable()} with another timeout.
   *
   * @param timeout how long to wait
   * @return the leader's id
   * @throws AssertionError on timeout, naming each server's state and the last events
   */
  public long awaitStable(Duration timeout) {
    await("a stable cluster (every running server follows one leader and applied its commits)", timeout,
        roles::stable);
    return establishedLeader();
  }

  /**
   * Waits (at most {@link #DEFAULT_WAIT}) until every running server has applied {@code zxid} (or a later one).
   *
   * @param zxid a txn's zxid, as {@link #write} returned it
   * @return this cluster
   * @throws AssertionError on timeout, naming each server's state and the last events
   */
  public NodeCluster awaitApplied(Zxid zxid) {
    await("every running server to apply " + zxid, DEFAULT_WAIT,
        () -> running.values().stream().allMatch(n -> !n.appliedZxid().isBefore(zxid)));
    return this;
  }

  /**
   * Waits until {@code condition} holds, re-checking it whenever something happens in the cluster (and at
   * least every 10 ms).
   *
   * @param what what is awaited, for the failure message
   * @param timeout how long to wait
   * @param condition checked on the calling thread; keep it cheap
   * @throws AssertionError naming {@code what}, the cluster's state and its last events after {@code timeout}
   */
  public void await(String what, Duration timeout, BooleanSupplier condition) {
    waiter.await(timeout, condition, () -> what, () -> describe() + "\nlast events:\n" + lastEvents(15));
  }

  // ---- observation ----

  /**
   * The server ids, 1..servers (those {@link #addServer} added included).
   *
   * @return every id, ascending, running or not
   */
  public List<Long> ids() {
    return Stream.iterate(1L, i -> i + 1).limit(size).toList();
  }

  /**
   * The number of servers, running or not (those {@link #addServer} added included).
   *
   * @return the highest server id
   */
  public int size() {
    return size;
  }

  /**
   * The servers running now.
   *
   * @return their ids, ascending
   */
  public List<Long> runningIds() {
    return running.keySet().stream().sorted().toList();
  }

  /**
   * Whether server {@code id} runs now (started and not stopped).
   *
   * @param id the server
   * @return true if it runs
   */
  public boolean isRunning(long id) {
    return running.containsKey(id);
  }

  /**
   * Server {@code id}'s node, to call anything of its API.
   *
   * @param id the server
   * @return its running node
   * @throws IllegalStateException if it is not running
   */
  public ZabNode node(long id) {
    requireServer(id);
    ZabNode n = running.get(id);
    if (n == null) {
      throw new IllegalStateException("server " + id + " is not running (running: " + runningIds() + ")");
    }
    return n;
  }

  /**
   * Server {@code id}'s state machine: the instance the builder's supplier made at its last start.
   *
   * @param <T> the state machine's class, as the caller expects it (unchecked)
   * @param id the server
   * @return its state machine, also after it stopped
   * @throws IllegalStateException if it was never started
   */
  @SuppressWarnings("unchecked")
  public <T extends StateMachine> T stateMachine(long id) {
    requireServer(id);
    StateMachine sm = machines.get(id);
    if (sm == null) {
      throw new IllegalStateException("server " + id + " was never started");
    }
    return (T) sm;
  }

  /**
   * Server {@code id}'s data directory (log, epochs, snapshots).
   *
   * @param id the server
   * @return its directory under the cluster's data root
   */
  public Path dataDir(long id) {
    requireServer(id);
    return root.resolve("server-" + id);
  }

  /**
   * The role server {@code id} reports now.
   *
   * @param id the server
   * @return its role, or null when it is not running
   */
  public Role role(long id) {
    ZabNode n = running.get(id);
    return n == null ? null : n.role();
  }

  /**
   * The established leader now: a running server that announced LEADING with a quorum (itself included) of
   * running servers that announced FOLLOWING it in its epoch and are still connected to it.
   *
   * @return its id, or 0 if there is none
   */
  public long establishedLeader() {
    return roles.establishedLeader();
  }

  /**
   * The running servers whose last announcement is FOLLOWING {@code leader} in its announced epoch.
   *
   * @param leader a server id
   * @return their ids, ascending (empty if {@code leader} has not announced LEADING)
   */
  public Set<Long> followersOf(long leader) {
    return roles.followersOf(leader);
  }

  /**
   * Safety problems seen so far: two servers applied different txns at one zxid, or one applied out of order.
   *
   * @return one line per problem; empty if none
   */
  public List<String> violations() {
    return checks.violations();
  }

  /**
   * Whether some server applied a txn with exactly this payload.
   *
   * @param payload the txn's bytes
   * @return true if a server applied it (so it was committed)
   */
  public boolean wasCommitted(byte[] payload) {
    return checks.committed(payload);
  }

  /**
   * Everything that happened so far: roles and epochs per server, elections, stops, cuts and commits.
   *
   * @return the timeline up to now
   */
  public Timeline timeline() {
    return recorder.timeline(name + ", " + size + " servers over the " + links.name(), ids());
  }

  /**
   * Each server's state, for failure messages.
   *
   * @return one entry per server: role, leader, epoch, last and applied zxid (or "down"), then the cut links
   */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    for (long id : ids()) {
      ZabNode n = running.get(id);
      sb.append('s').append(id).append('=');
      if (n == null) {
        sb.append("down");
      } else {
        sb.append(n.role()).append("(leader ").append(n.leader().orElse(0)).append(", epoch ").append(n.epoch())
            .append(", last ").append(n.lastZxid()).append(", applied ").append(n.appliedZxid()).append(')');
      }
      sb.append(' ');
    }
    if (!cut.isEmpty()) {
      sb.append("cut: ").append(cut.stream().sorted().map(Link::toString).collect(Collectors.joining(" ")));
    }
    return sb.toString().trim();
  }

  private String lastEvents(int n) {
    List<TimelineEvent> events = recorder.events();
    return events.subList(Math.max(0, events.size() - n), events.size()).stream()
        .map(e -> String.format("  %10.3fs %s", e.timeMicros() / 1e6, e.describe()))
        .collect(Collectors.joining("\n"));
  }

  private void requireServer(long id) {
    if (id < 1 || id > size) {
      throw new IllegalArgumentException("no server " + id + " (servers are 1.." + size + ")");
    }
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("the cluster is closed");
    }
  }

  /** Stops every server and deletes the data directories it created (not a {@code dataRoot} you gave it). */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (long id : runningIds()) {
      stop(id);
    }
    if (ownRoot) {
      deleteTree(root);
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a leftover temporary directory is not worth failing a test for
    }
  }

  @Override
  public String toString() {
    return "NodeCluster[" + describe() + "]";
  }

  /** Builds a {@link NodeCluster}; every setting has a default. */
  public static final class Builder {
    private int servers = 3;
    private Supplier<? extends StateMachine> stateMachines = RecordingStateMachine::new;
    private Duration tick = Duration.ofMillis(20);
    private UnaryOperator<ZabNode.Builder> configure = UnaryOperator.identity();
    private boolean netty;
    private Path dataRoot;
    private String name = "NodeCluster";

    private Builder() {}

    /**
     * Number of servers, ids 1..n (default 3).
     *
     * @param n 1 to 64
     * @return this builder
     */
    public Builder servers(int n) {
      if (n < 1 || n > 64) {
        throw new IllegalArgumentException("servers must be in [1, 64], got " + n);
      }
      this.servers = n;
      return this;
    }

    /**
     * Makes each server's state machine, at every start (default: {@link RecordingStateMachine}).
     *
     * @param factory returns a new instance on every call
     * @return this builder
     */
    public Builder stateMachine(Supplier<? extends StateMachine> factory) {
      this.stateMachines = Objects.requireNonNull(factory, "factory");
      return this;
    }

    /**
     * The protocol's tick, with zab's default {@link Timeouts} scaled by the same factor as the tick from its
     * default of 50 ms (default 20 ms: the timeouts are 0.4 times the defaults, so a follower gives up on a
     * silent leader after 0.8 s and elections settle in well under a second). {@link #configure} may set other
     * timeouts.
     *
     * @param tick whole milliseconds, at least 1 ms
     * @return this builder
     */
    public Builder tick(Duration tick) {
      if (tick.compareTo(Duration.ofMillis(1)) < 0) {
        throw new IllegalArgumentException("tick must be at least 1 ms, got " + tick);
      }
      this.tick = tick;
      return this;
    }

    /**
     * Further settings for every server's {@code ZabNode.Builder} ({@code b -> b.snapshotEveryTxns(10)}), applied
     * after the cluster's own: do not replace serverId, members, dataDir, transport or stateMachine.
     *
     * @param settings changes a server's builder and returns it
     * @return this builder
     */
    public Builder configure(UnaryOperator<ZabNode.Builder> settings) {
      this.configure = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /**
     * Connects the servers with {@code NettyTransport} on loopback (ports free when the cluster is built)
     * instead of the in-JVM network. Needs io.zab:zab-transport-netty on the test classpath. The network
     * cannot be cut then: {@code isolate}, {@code partition} and {@code disconnect} throw.
     *
     * @return this builder
     */
    public Builder overNetty() {
      this.netty = true;
      return this;
    }

    /**
     * Where the servers' data directories go (default: a new temporary directory, deleted by close()).
     *
     * @param dir created if missing; {@code close()} leaves it in place
     * @return this builder
     */
    public Builder dataRoot(Path dir) {
      this.dataRoot = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /**
     * The timeline's title (the test's name, say).
     *
     * @param title the heading of {@link NodeCluster#timeline()}
     * @return this builder
     */
    public Builder name(String title) {
      this.name = Objects.requireNonNull(title, "title");
      return this;
    }

    /**
     * Builds the cluster; no server runs until {@code start}/{@code startAll}.
     *
     * @return the cluster; close it after the test
     * @throws UncheckedIOException if the data directory cannot be created
     */
    public NodeCluster build() {
      NodeLinks links = netty ? NettyLinks.create(servers) : new InJvmLinks(servers);
      try {
        Path root = dataRoot != null ? Files.createDirectories(dataRoot) : Files.createTempDirectory("zab-cluster-");
        return new NodeCluster(this, links, root, dataRoot == null);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create the cluster's data directory: " + e.getMessage(), e);
      }
    }
  }
}
