package io.zab.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.ClusterConfiguration;
import io.zab.Member;
import io.zab.Role;
import io.zab.Zxid;
import io.zab.protocol.Action.Append;
import io.zab.protocol.Action.Complete;
import io.zab.protocol.Action.Deliver;
import io.zab.protocol.Action.InstallSnapshot;
import io.zab.protocol.Action.Send;
import io.zab.protocol.Action.SendSnapshot;
import io.zab.wire.Message;
import io.zab.wire.Membership;
import io.zab.wire.MembershipCodec;
import io.zab.wire.Message.SnapChunk;
import io.zab.wire.MessageCodec;
import io.zab.wire.SnapshotHeader;
import io.zab.wire.Txn;
import java.io.ByteArrayInputStream;
import java.io.IOException;
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
  private final SimNetwork net = new SimNetwork();
  private final Set<Long> manualPersist = new HashSet<>();
  private final Map<Long, Long> firstCounter = new HashMap<>();
  private final ClusterInvariants invariants = new ClusterInvariants();
  /**
   * With {@link #modelAddresses()}: the servers each running server's transport lists (its membership at start, then
   * each UpdateMembers). Two servers are connected only if each lists the other: a dialer must know the address, and
   * an acceptor refuses a server it does not list. Null: every server reaches every other (the default).
   */
  private Map<Long, Set<Long>> listed;

  CoreCluster(int n, Timing timing) {
    this(n, PeerConfig.localVoters(LongStream.rangeClosed(1, n).boxed().collect(java.util.stream.Collectors.toSet())),
        timing);
  }

  /**
   * Servers 1..n, all connected to each other, starting with {@code initial}; a server it does not list starts as
   * a newcomer would: {@code initial}'s members plus itself as an observer (issue 11).
   */
  CoreCluster(int n, ClusterConfiguration initial, Timing timing) {
    configs = new PeerConfig[n + 1];
    for (long sid = 1; sid <= n; sid++) {
      ClusterConfiguration own = initial.isMember(sid) ? initial : initial.withObserver(Member.local(sid));
      configs[(int) sid] = new PeerConfig(sid, own, timing, 1024, 1000, 100, MessageCodec.DEFAULT_MAX_FRAME_BYTES,
          PeerConfig.DEFAULT_MAX_IN_FLIGHT_BYTES, PeerConfig.DEFAULT_LOG_RETENTION_BYTES);
      disks.put(sid, new SimDisk(PersistentState.empty()));
      delivered.put(sid, new ArrayList<>());
      answers.put(sid, new ArrayList<>());
    }
  }

  /** Every server id, 1..n. */
  Set<Long> ids() {
    Set<Long> ids = new LinkedHashSet<>();
    LongStream.rangeClosed(1, configs.length - 1).forEach(ids::add);
    return ids;
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
    return withLimits(maxTxnBytes, maxOutstanding, maxBatchTxns, configs[1].maxFrameBytes());
  }

  /** {@link #withLimits(int, int, int)} and the frame cap. */
  CoreCluster withLimits(int maxTxnBytes, int maxOutstanding, int maxBatchTxns, int maxFrameBytes) {
    return withLimits(maxTxnBytes, maxOutstanding, maxBatchTxns, maxFrameBytes, configs[1].maxInFlightBytes());
  }

  /** {@link #withLimits(int, int, int, int)} and the flow-control window. */
  CoreCluster withLimits(int maxTxnBytes, int maxOutstanding, int maxBatchTxns, int maxFrameBytes,
      long maxInFlightBytes) {
    for (int i = 1; i < configs.length; i++) {
      PeerConfig c = configs[i];
      configs[i] = new PeerConfig(c.self(), c.initial(), c.timing(), maxTxnBytes, maxOutstanding, maxBatchTxns,
          maxFrameBytes, maxInFlightBytes, c.logRetentionBytes());
    }
    return this;
  }

  /** Every (not yet started) server keeps at most {@code bytes} of committed txns after a snapshot. */
  CoreCluster withLogRetention(long bytes) {
    for (int i = 1; i < configs.length; i++) {
      PeerConfig c = configs[i];
      configs[i] = new PeerConfig(c.self(), c.initial(), c.timing(), c.maxTxnBytes(), c.maxOutstanding(),
          c.maxBatchTxns(), c.maxFrameBytes(), c.maxInFlightBytes(), bytes);
    }
    return this;
  }

  /** Messages on the link stay queued (not delivered by run()) until resumed or delivered one by one. */
  void pause(long from, long to) {
    net.pause(from, to);
  }

  void resume(long from, long to) {
    net.resume(from, to);
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

  /**
   * From now on a server reaches only the servers its transport lists and that list it (Transport#updateMembers, issue
   * 11): a server that missed a change cannot reach the members it added unless it learns their addresses.
   */
  CoreCluster modelAddresses() {
    listed = new HashMap<>();
    peers.forEach((sid, p) -> listed.put(sid, ids(p.membership().members())));
    return this;
  }

  private static Set<Long> ids(List<Member> members) {
    Set<Long> ids = new HashSet<>();
    members.forEach(m -> ids.add(m.id()));
    return ids;
  }

  /** Whether {@code a} and {@code b} can have a connection: always, unless addresses are modelled. */
  private boolean listEachOther(long a, long b) {
    return listed == null || (listed.getOrDefault(a, Set.of()).contains(b) && listed.getOrDefault(b, Set.of()).contains(a));
  }

  /** {@code sid}'s transport now lists {@code members}: connections come up or break where that changes. */
  private void relist(long sid, List<Member> members) {
    if (listed == null) {
      return;
    }
    Map<Long, Boolean> before = new HashMap<>();
    peers.keySet().forEach(other -> before.put(other, listEachOther(sid, other)));
    listed.put(sid, ids(members));
    for (long other : List.copyOf(peers.keySet())) {
      boolean now = listEachOther(sid, other);
      if (other == sid || now == before.get(other) || !net.connected(sid, other)) {
        continue;
      }
      if (!now) {
        net.drop(sid, other);
      }
      Event there = now ? new Event.PeerConnected(sid) : new Event.PeerDisconnected(sid);
      step(other, there);
      step(sid, now ? new Event.PeerConnected(other) : new Event.PeerDisconnected(other));
    }
  }

  /** Starts servers (in the given order), each connecting to the running ones. */
  void start(long... sids) {
    for (long sid : sids) {
      peers.put(sid, new Peer(configs[(int) sid], disks.get(sid).recover(), firstCounter.getOrDefault(sid, 1L)));
      invariants.started(sid, disks.get(sid).snapshotZxid());
      if (listed != null) {
        listed.put(sid, ids(peers.get(sid).membership().members()));
      }
      step(sid, new Event.Start());
      for (long other : peers.keySet()) {
        if (other != sid && net.connected(sid, other) && listEachOther(sid, other)) {
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

  /** Starts every server and ticks until all of them are established (one leader, the rest following). */
  CoreCluster startAllEstablished() {
    startAll();
    long[] all = LongStream.rangeClosed(1, configs.length - 1).toArray();
    tickUntil(() -> allEstablished(all), 100);
    return this;
  }

  /** Crash: the process dies, unsynced writes are lost, peers see the connection drop. */
  void crash(long sid) {
    peers.remove(sid);
    disks.get(sid).crash();
    Zxid snap = disks.get(sid).snapshotZxid(); // the state machine restarts from its snapshot
    delivered.get(sid).removeIf(t -> t.zxid().isAfter(snap));
    dropLinksOf(sid);
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
      for (long b : ids()) {
        if (!group.contains(b)) {
          net.stall(a, b);
        }
      }
    }
  }

  private void cutOff(Set<Long> group, boolean notify) {
    for (long a : group) {
      for (long b : ids()) {
        if (!group.contains(b)) {
          net.cut(a, b);
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
    for (List<Long> ab : net.heal()) {
      if (peers.containsKey(ab.get(0)) && peers.containsKey(ab.get(1)) && listEachOther(ab.get(0), ab.get(1))) {
        step(ab.get(0), new Event.PeerConnected(ab.get(1)));
        step(ab.get(1), new Event.PeerConnected(ab.get(0)));
      }
    }
    run();
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
    return b.append(String.format("%n  %s", net)).toString();
  }

  /**
   * Hands {@code request} to {@code sid}, then ticks until it answered (at most {@code maxTicks}); returns the
   * answer (Complete or Reject) or null.
   */
  Action ask(long sid, Event request, long requestId, int maxTicks) {
    step(sid, request);
    run();
    for (int i = 0; i < maxTicks && answer(sid, requestId) == null; i++) {
      tick();
    }
    return answer(sid, requestId);
  }

  /** What {@code sid} answered request {@code requestId} with (Complete or Reject), or null. */
  Action answer(long sid, long requestId) {
    return answers.get(sid).stream().filter(a -> a instanceof Complete cp && cp.requestId() == requestId
        || a instanceof Action.Reject rj && rj.requestId() == requestId).findFirst().orElse(null);
  }

  void submit(long sid, long requestId, String data) {
    step(sid, new Event.Submit(requestId, data.getBytes()));
    run();
  }

  /** Feeds events to one peer as a single batch (handleAll). */
  List<Action> batch(long sid, List<Event> events) {
    List<Action> actions = stepAll(sid, events);
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

  /**
   * With a random source set, deliveries reach a peer in batches of random size through {@code handleAll}, as the
   * runtime hands a whole drain of its queue to the core (a batch takes further queued messages for the same peer,
   * each link in order). Null: one message per {@code handle}.
   */
  java.util.Random batching;

  /** Delivers queued messages, link by link in sid order, until the network is quiet. */
  void run() {
    if (lazyNetwork != null) {
      runSome(lazyNetwork);
      return;
    }
    for (int guard = 0; guard < 1_000_000; guard++) {
      SimNetwork.Delivery d = net.next();
      if (d == null) {
        return;
      }
      deliver(d);
    }
    throw new AssertionError("network never quiesced");
  }

  private void runSome(java.util.Random rnd) {
    int budget = rnd.nextInt(40);
    for (int i = 0; i < budget; i++) {
      SimNetwork.Delivery d = net.next(rnd);
      if (d == null) {
        return;
      }
      deliver(d);
    }
  }

  private void deliver(SimNetwork.Delivery d) {
    if (batching == null) {
      step(d.to(), new Event.Received(d.from(), d.message()));
      return;
    }
    List<Event> events = new ArrayList<>();
    events.add(new Event.Received(d.from(), d.message()));
    for (int more = batching.nextInt(8); more > 0; more--) {
      SimNetwork.Delivery next = net.nextTo(d.to(), batching);
      if (next == null) {
        break;
      }
      events.add(new Event.Received(next.from(), next.message()));
    }
    stepAll(d.to(), events);
  }

  /** Delivers only the next queued message from {@code from} to {@code to}; returns it. */
  Message deliverOne(long from, long to) {
    Message m = net.poll(from, to);
    step(to, new Event.Received(from, m));
    return m;
  }

  /** Queued, undelivered messages on one link. */
  List<Message> queued(long from, long to) {
    return net.queued(from, to);
  }

  /** Removes the queued messages of one link without delivering them. */
  void hold(long from, long to, List<Message> into) {
    net.drain(from, to, into);
  }

  /** Hands several events to one peer in one {@code handleAll} and carries out its actions. */
  List<Action> stepAll(long sid, List<Event> events) {
    Peer p = peers.get(sid);
    if (p == null) {
      return List.of();
    }
    List<Action> actions = p.handleAll(events);
    record(sid, events.get(0), actions, events);
    return actions;
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
        invariants.checkFitsFrame(sid, s.message(), configs[(int) sid].maxFrameBytes());
        enqueue(sid, s.to(), s.message());
      } else if (disk.apply(a)) {
        appended |= a instanceof Append;
      } else if (a instanceof Deliver d) {
        delivered.get(sid).addAll(d.txns());
      } else if (a instanceof SendSnapshot ss) {
        // the content starts with the membership at the snapshot's zxid; the rest names the sender, whose state it is
        byte[] header = SnapshotHeader.encode(membershipAt(delivered.get(sid), ss.snapshotZxid()));
        enqueue(sid, ss.to(), new SnapChunk(ss.snapshotZxid(), 0, header, false));
        enqueue(sid, ss.to(), new SnapChunk(ss.snapshotZxid(), header.length, Long.toString(sid).getBytes(), true));
      } else if (a instanceof InstallSnapshot is) {
        byte[] snapshot = disk.installChunk(is.chunk());
        if (snapshot != null) {
          installSnapshot(sid, is.chunk().snapshotZxid(), snapshot);
        }
      } else if (a instanceof Action.DiscardSnapshot) {
        disk.discardIncomingSnapshot();
      } else if (a instanceof Complete || a instanceof Action.Reject) {
        answers.get(sid).add(a);
      } else if (a instanceof Action.UpdateMembers u) {
        relist(sid, u.members());
      }
    }
    if (Boolean.getBoolean("zab.core.trace")) {
      System.out.println(sid + " <- " + (events.size() == 1 ? events.get(0) : events) + " -> " + actions);
    }
    invariants.checkDelivered(sid, delivered);
    invariants.checkResultHandoff(sid, events, actions);
    invariants.checkOneLeaderPerEpoch(sid, peers.get(sid));
    if (appended && !manualPersist.contains(sid)) {
      step(sid, new Event.Persisted(disk.fsync()));
    }
  }

  /**
   * The snapshot is its header (the membership at its zxid), then the sender's id: its content is the sender's
   * delivered state up to its zxid (the disk part is SimDisk's).
   */
  private void installSnapshot(long sid, Zxid zxid, byte[] snapshot) {
    ByteArrayInputStream in = new ByteArrayInputStream(snapshot);
    Membership membership;
    try {
      membership = SnapshotHeader.read(in);
    } catch (IOException e) {
      throw new AssertionError("server " + sid + " installed a snapshot at " + zxid + " without a valid header", e);
    }
    long source = Long.parseLong(new String(in.readAllBytes()));
    List<Txn> state = new ArrayList<>();
    for (Txn t : delivered.get(source)) {
      if (!t.zxid().isAfter(zxid)) {
        state.add(t);
      }
    }
    delivered.put(sid, state);
    disks.get(sid).snapshotMembership = membership;
  }

  /** The membership of the last CONFIG txn at or below {@code z} in {@code txns} (null: none, the configured one). */
  static Membership membershipAt(List<Txn> txns, Zxid z) {
    Membership m = null;
    for (Txn t : txns) {
      if (t.isConfig() && !t.zxid().isAfter(z)) {
        m = MembershipCodec.decode(t.data());
      }
    }
    return m;
  }

  private void enqueue(long from, long to, Message m) {
    if (peers.containsKey(to) && listEachOther(from, to)) {
      net.enqueue(from, to, m);
    }
  }

  private void dropLinksOf(long sid) {
    for (long other : ids()) {
      net.drop(sid, other);
      if (other != sid && peers.containsKey(other)) {
        step(other, new Event.PeerDisconnected(sid));
      }
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
