package io.zab.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.Role;
import io.zab.Zxid;
import io.zab.protocol.Action.Append;
import io.zab.protocol.Action.Complete;
import io.zab.protocol.Action.Deliver;
import io.zab.protocol.Action.InstallSnapshot;
import io.zab.protocol.Action.SaveAcceptedEpoch;
import io.zab.protocol.Action.SaveCurrentEpoch;
import io.zab.protocol.Action.Send;
import io.zab.protocol.Action.SendSnapshot;
import io.zab.protocol.Action.Truncate;
import io.zab.wire.Message;
import io.zab.wire.Message.SnapChunk;
import io.zab.wire.Txn;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;

/**
 * A tiny deterministic test harness: N pure peers, FIFO links, simulated disks, crash/restart and
 * partitions, all in the test thread. Checks after every step that delivered sequences agree.
 */
final class CoreCluster {
  /** One call of a peer: the event and the actions it returned. */
  record Step(long sid, Event event, List<Action> actions) {}

  final PeerConfig[] configs;
  final Map<Long, Peer> peers = new TreeMap<>();
  final Map<Long, SimDisk> disks = new TreeMap<>();
  final Map<Long, List<Txn>> delivered = new TreeMap<>();
  final Map<Long, List<Action>> answers = new TreeMap<>();
  final List<Step> trace = new ArrayList<>();
  private final Map<Long, ArrayDeque<Message>> links = new TreeMap<>();
  private final Set<Long> manualPersist = new HashSet<>();
  private final Set<Set<Long>> cut = new HashSet<>();
  private final Set<Long> paused = new HashSet<>();
  /** Links stalled by a silent partition (like paused, but lifted by heal()). */
  private final Set<Long> stalled = new HashSet<>();
  private final Map<Long, Long> firstCounter = new HashMap<>();
  /** Leadership invariant: at most one server ever establishes itself as leader of a given epoch. */
  private final Map<Long, Long> leaderOfEpoch = new HashMap<>();

  CoreCluster(int n, Timing timing) {
    configs = new PeerConfig[n + 1];
    Set<Long> voters = new LinkedHashSet<>();
    LongStream.rangeClosed(1, n).forEach(voters::add);
    for (long sid = 1; sid <= n; sid++) {
      configs[(int) sid] = new PeerConfig(sid, voters, timing, 1024, 1000, 100);
      disks.put(sid, new SimDisk(PersistentState.empty()));
      delivered.put(sid, new ArrayList<>());
      answers.put(sid, new ArrayList<>());
    }
  }

  CoreCluster(int n) {
    this(n, new Timing(2, 8, 60, 20, 3));
  }

  /** Replaces a (not yet started) server's disk contents. */
  CoreCluster withState(long sid, PersistentState s) {
    disks.put(sid, new SimDisk(s));
    return this;
  }

  /** Changes the payload, backpressure and batch limits of every (not yet started) server. */
  CoreCluster withLimits(int maxTxnBytes, int maxOutstanding, int maxBatchTxns) {
    for (int i = 1; i < configs.length; i++) {
      PeerConfig c = configs[i];
      configs[i] = new PeerConfig(c.self(), c.voters(), c.timing(), maxTxnBytes, maxOutstanding, maxBatchTxns);
    }
    return this;
  }

  /** Messages on the link stay queued (not delivered by run()) until resumed or delivered one by one. */
  void pause(long from, long to) {
    paused.add(from * 1000 + to);
  }

  void resume(long from, long to) {
    paused.remove(from * 1000 + to);
    run();
  }

  CoreCluster withFirstCounter(long sid, long counter) {
    firstCounter.put(sid, counter);
    return this;
  }

  void manualPersist(long sid, boolean manual) {
    if (manual) {
      manualPersist.add(sid);
    } else {
      manualPersist.remove(sid);
    }
  }

  SimDisk disk(long sid) {
    return disks.get(sid);
  }

  Peer peer(long sid) {
    return peers.get(sid);
  }

  /** Starts servers (in the given order), each connecting to the running ones. */
  void start(long... sids) {
    for (long sid : sids) {
      peers.put(sid, new Peer(configs[(int) sid], disks.get(sid).recover(), firstCounter.getOrDefault(sid, 1L)));
      step(sid, new Event.Start());
      for (long other : peers.keySet()) {
        if (other != sid && connected(sid, other)) {
          step(other, new Event.PeerConnected(sid));
          step(sid, new Event.PeerConnected(other));
        }
      }
      run();
    }
  }

  void startAll() {
    start(LongStream.rangeClosed(1, configs.length - 1).toArray());
  }

  /** Crash: the process dies, unsynced writes are lost, peers see the connection drop. */
  void crash(long sid) {
    peers.remove(sid);
    disks.get(sid).crash();
    Zxid snap = disks.get(sid).snapshotZxid; // the state machine restarts from its snapshot
    delivered.get(sid).removeIf(t -> t.zxid().isAfter(snap));
    dropLinksOf(sid, other -> peers.containsKey(other));
    run();
  }

  void restart(long sid) {
    start(sid);
  }

  /** Cuts every link between {@code group} and the others; both sides see the connection drop. */
  void partition(Set<Long> group) {
    cutOff(group, true);
  }

  /**
   * Stalls the links silently, as a network partition looks to TCP before any timeout: nothing arrives and
   * nobody is told (only the core's own timeouts can notice); what was sent arrives after {@link #heal()}.
   */
  void partitionSilently(Set<Long> group) {
    for (long a : group) {
      for (long b : configs[1].voters()) {
        if (!group.contains(b)) {
          stalled.add(a * 1000 + b);
          stalled.add(b * 1000 + a);
        }
      }
    }
  }

  private void cutOff(Set<Long> group, boolean notify) {
    for (long a : group) {
      for (long b : configs[1].voters()) {
        if (!group.contains(b)) {
          cut.add(Set.of(a, b));
          links.remove(a * 1000 + b);
          links.remove(b * 1000 + a);
          if (notify) {
            step(a, new Event.PeerDisconnected(b));
            step(b, new Event.PeerDisconnected(a));
          }
        }
      }
    }
    run();
  }

  void heal() {
    stalled.clear();
    List<Set<Long>> healed = new ArrayList<>(cut);
    cut.clear();
    for (Set<Long> pair : healed) {
      List<Long> ab = pair.stream().sorted().toList();
      if (peers.containsKey(ab.get(0)) && peers.containsKey(ab.get(1))) {
        step(ab.get(0), new Event.PeerConnected(ab.get(1)));
        step(ab.get(1), new Event.PeerConnected(ab.get(0)));
      }
    }
    run();
  }

  boolean connected(long a, long b) {
    return !cut.contains(Set.of(a, b));
  }

  void tick() {
    for (long sid : List.copyOf(peers.keySet())) {
      if (peers.containsKey(sid)) {
        step(sid, new Event.Tick());
      }
    }
    run();
  }

  void ticks(int n) {
    for (int i = 0; i < n; i++) {
      tick();
    }
  }

  /** Ticks until {@code done} holds; fails after {@code max} ticks. */
  void tickUntil(BooleanSupplier done, int max) {
    for (int i = 0; i < max && !done.getAsBoolean(); i++) {
      tick();
    }
    if (!done.getAsBoolean() && Boolean.getBoolean("zab.core.trace")) {
      trace.subList(Math.max(0, trace.size() - 40000), trace.size()).stream()
          .filter(s -> !(s.event() instanceof Event.Tick) || !s.actions().isEmpty())
          .forEach(s -> System.out.println(s.sid() + " <- " + s.event() + " -> " + s.actions()));
    }
    assertThat(done.getAsBoolean()).as("condition reached within %d ticks; %s", max, describe()).isTrue();
  }

  /** One line per server: role, leader, epochs, zxids (for failure messages). */
  String describe() {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<Long, Peer> e : peers.entrySet()) {
      Peer p = e.getValue();
      b.append(String.format("%n  %d: %s leader=%d established=%s accepted=%d current=%d last=%s committed=%s vote=%s",
          e.getKey(), p.role(), p.leader(), p.established(), p.acceptedEpoch(), p.currentEpoch(), p.lastZxid(),
          p.committedZxid(), p.currentVote()));
    }
    return b.append(String.format("%n  cut=%s", cut)).toString();
  }

  void submit(long sid, long requestId, String data) {
    step(sid, new Event.Submit(requestId, data.getBytes()));
    run();
  }

  /** Feeds events to one peer as a single batch (handleAll). */
  List<Action> batch(long sid, List<Event> events) {
    List<Action> actions = peers.get(sid).handleAll(events);
    record(sid, new Event.Tick(), actions, events);
    run();
    return actions;
  }

  /** Reports the fsync of everything appended so far on {@code sid}. */
  void persist(long sid) {
    step(sid, new Event.Persisted(disks.get(sid).fsync()));
  }

  /**
   * With a random source set, run() delivers only some queued messages, picking links at random, and leaves
   * the rest in flight (crashes and partitions then catch messages mid-way). Null: deliver everything.
   */
  java.util.Random lazyNetwork;

  /** Delivers queued messages, link by link in sid order, until the network is quiet. */
  void run() {
    if (lazyNetwork != null) {
      runSome(lazyNetwork);
      return;
    }
    for (int guard = 0; guard < 1_000_000; guard++) {
      Long busy = links.entrySet().stream().filter(e -> !e.getValue().isEmpty() && deliverable(e.getKey())).map(Map.Entry::getKey)
          .findFirst().orElse(null);
      if (busy == null) {
        return;
      }
      Message m = links.get(busy).poll();
      long from = busy / 1000;
      long to = busy % 1000;
      step(to, new Event.Received(from, m));
    }
    throw new AssertionError("network never quiesced");
  }

  private void runSome(java.util.Random rnd) {
    int budget = rnd.nextInt(40);
    for (int i = 0; i < budget; i++) {
      List<Long> busy = links.entrySet().stream()
          .filter(e -> !e.getValue().isEmpty() && deliverable(e.getKey())).map(Map.Entry::getKey).toList();
      if (busy.isEmpty()) {
        return;
      }
      long key = busy.get(rnd.nextInt(busy.size()));
      step(key % 1000, new Event.Received(key / 1000, links.get(key).poll()));
    }
  }

  private boolean deliverable(long link) {
    return !paused.contains(link) && !stalled.contains(link);
  }

  /** Delivers only the next queued message from {@code from} to {@code to}; returns it. */
  Message deliverOne(long from, long to) {
    Message m = links.get(from * 1000 + to).poll();
    step(to, new Event.Received(from, m));
    return m;
  }

  /** Queued, undelivered messages on one link. */
  List<Message> queued(long from, long to) {
    return List.copyOf(links.getOrDefault(from * 1000 + to, new ArrayDeque<>()));
  }

  /** Removes the queued messages of one link without delivering them. */
  void hold(long from, long to, List<Message> into) {
    ArrayDeque<Message> q = links.get(from * 1000 + to);
    if (q != null) {
      into.addAll(q);
      q.clear();
    }
  }

  /** Hands one event to one peer and carries out its actions. */
  List<Action> step(long sid, Event e) {
    Peer p = peers.get(sid);
    if (p == null) {
      return List.of();
    }
    List<Action> actions = p.handle(e);
    record(sid, e, actions, List.of(e));
    return actions;
  }

  private void record(long sid, Event e, List<Action> actions, List<Event> events) {
    trace.add(new Step(sid, events.size() == 1 ? events.get(0) : e, actions));
    SimDisk disk = disks.get(sid);
    boolean appended = false;
    for (Action a : actions) {
      if (a instanceof Send s) {
        enqueue(sid, s.to(), s.message());
      } else if (a instanceof Append ap) {
        disk.log.addAll(ap.txns());
        appended = true;
      } else if (a instanceof Truncate t) {
        disk.truncateAfter(t.after());
      } else if (a instanceof SaveAcceptedEpoch s) {
        disk.acceptedEpoch = s.epoch();
      } else if (a instanceof SaveCurrentEpoch s) {
        disk.currentEpoch = s.epoch();
      } else if (a instanceof Deliver d) {
        delivered.get(sid).addAll(d.txns());
      } else if (a instanceof SendSnapshot ss) {
        enqueue(sid, ss.to(), new SnapChunk(ss.snapshotZxid(), 0, new byte[] {1}, false));
        enqueue(sid, ss.to(), new SnapChunk(ss.snapshotZxid(), 1, Long.toString(sid).getBytes(), true));
      } else if (a instanceof InstallSnapshot is && is.chunk().last()) {
        installSnapshot(sid, is.chunk());
      } else if (a instanceof Complete || a instanceof Action.Reject) {
        answers.get(sid).add(a);
      }
    }
    if (Boolean.getBoolean("zab.core.trace")) {
      System.out.println(sid + " <- " + (events.size() == 1 ? events.get(0) : events) + " -> " + actions);
    }
    checkDelivered(sid);
    checkOneLeaderPerEpoch(sid);
    if (appended && !manualPersist.contains(sid)) {
      step(sid, new Event.Persisted(disk.fsync()));
    }
  }

  private void installSnapshot(long sid, SnapChunk last) {
    long source = Long.parseLong(new String(last.data()));
    SimDisk disk = disks.get(sid);
    disk.snapshotZxid = last.snapshotZxid();
    disk.log.clear();
    disk.durableCount = 0;
    List<Txn> state = new ArrayList<>();
    for (Txn t : delivered.get(source)) {
      if (!t.zxid().isAfter(last.snapshotZxid())) {
        state.add(t);
      }
    }
    delivered.put(sid, state);
  }

  private void enqueue(long from, long to, Message m) {
    if (peers.containsKey(to) && connected(from, to)) {
      links.computeIfAbsent(from * 1000 + to, k -> new ArrayDeque<>()).add(m);
    }
  }

  private void dropLinksOf(long sid, java.util.function.LongPredicate notify) {
    for (long other : configs[1].voters()) {
      links.remove(sid * 1000 + other);
      links.remove(other * 1000 + sid);
      if (other != sid && notify.test(other)) {
        step(other, new Event.PeerDisconnected(sid));
      }
    }
  }

  private void checkOneLeaderPerEpoch(long sid) {
    Peer p = peers.get(sid);
    if (p != null && p.role() == Role.LEADING && p.established()) {
      Long previous = leaderOfEpoch.putIfAbsent(p.currentEpoch(), sid);
      assertThat(previous == null ? sid : previous).as("leader of epoch %d", p.currentEpoch()).isEqualTo(sid);
    }
  }

  /** Delivery agrees across servers: each sequence is strictly increasing and a prefix of the longest. */
  private void checkDelivered(long sid) {
    List<Txn> mine = delivered.get(sid);
    for (int i = 1; i < mine.size(); i++) {
      assertThat(mine.get(i).zxid()).as("server %d delivers in zxid order, no repeats", sid)
          .isGreaterThan(mine.get(i - 1).zxid());
    }
    for (List<Txn> other : delivered.values()) {
      int n = Math.min(mine.size(), other.size());
      assertThat(mine.subList(0, n)).as("delivered prefixes agree").isEqualTo(other.subList(0, n));
    }
  }

  // ---- queries for tests ----

  /** Established leaders (there must be at most one per epoch). */
  List<Long> leaders() {
    return peers.entrySet().stream()
        .filter(e -> e.getValue().role() == Role.LEADING && e.getValue().established())
        .map(Map.Entry::getKey).toList();
  }

  boolean allEstablished(long... sids) {
    for (long sid : sids) {
      if (!peers.containsKey(sid) || !peers.get(sid).established()) {
        return false;
      }
    }
    return true;
  }

  List<Zxid> deliveredZxids(long sid) {
    return delivered.get(sid).stream().map(Txn::zxid).toList();
  }

  /** Every action of {@code sid} in the trace, in order. */
  List<Action> actionsOf(long sid) {
    return trace.stream().filter(s -> s.sid() == sid).flatMap(s -> s.actions().stream()).toList();
  }

  /** Messages {@code from} sent to {@code to}, in order, from the trace. */
  List<Message> sent(long from, long to) {
    return actionsOf(from).stream().filter(a -> a instanceof Send s && s.to() == to)
        .map(a -> ((Send) a).message()).toList();
  }

  static byte[] bytes(String s) {
    return s.getBytes();
  }
}
