package io.zab.testkit.sim;

import io.zab.ClusterConfiguration;
import io.zab.Member;
import io.zab.Role;
import io.zab.StateMachine;
import io.zab.Zxid;
import io.zab.protocol.Action;
import io.zab.protocol.Event;
import io.zab.protocol.FrameCheck;
import io.zab.protocol.ResultHandoffCheck;
import io.zab.protocol.StorageContract;
import io.zab.storage.EpochRecovery;
import io.zab.wire.Membership;
import io.zab.wire.MembershipCodec;
import io.zab.wire.Message;
import io.zab.wire.Message.RejectCode;
import io.zab.wire.SnapshotHeader;
import io.zab.wire.Txn;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongFunction;

/**
 * One simulated server: its protocol core, disk and state machine, and the runtime duties of carrying out
 * the core's actions (the contract in {@link Action}'s javadoc). Crashes lose the process and unsynced
 * writes; a restart rebuilds the core from the disk.
 *
 * <p>Like the runtime's protocol thread, it queues what happens (messages, connection changes, ticks, fsyncs,
 * client requests) and hands the queue to {@code handleAll} in batches: a drain starts a random short while after
 * the first event (the thread was busy) and takes a random prefix of what is queued, so the core's coalescing
 * across events is exercised as in production. A slow state machine applies each txn after a delay.
 */
public final class SimServer {
  static final int SNAPSHOT_CHUNK_BYTES = 512;

  private final long id;
  private final Simulation sim;
  private final SimDisk disk;
  private ProtocolNode node;
  private StateMachine stateMachine;
  private Zxid applied = Zxid.ZERO;
  /** The membership in force at {@link #applied} (null: none recorded), which snapshots record. */
  private Membership appliedMembership;
  private boolean alive;
  /** Why the last start was refused (the disk's epoch files are lost, damaged or stale), or null. */
  private String refusal;
  private long incarnation;
  private long pausedUntil;
  /** What the protocol thread has not handled yet; messages carry their connection and counted bytes. */
  private final ArrayDeque<Inbound> inbox = new ArrayDeque<>();
  private boolean drainScheduled;
  /** Counted bytes (see {@link SimNetwork#countedBytes}) in the inbox per sender, for its current connection. */
  private final long[] unhandledBytes;
  private final long[] unhandledGeneration;
  /** Committed txns waiting for a slow state machine (its applyMicros per txn). */
  private final ArrayDeque<Txn> applyQueue = new ArrayDeque<>();
  private boolean applying;
  private final Map<Long, SimRequest> requests = new LinkedHashMap<>();
  private final TreeMap<Zxid, List<SimRequest>> waitingForApply = new TreeMap<>();
  private int appliedSinceSnapshot;
  /** The servers its transport connects to and accepts (UpdateMembers), itself excluded. */
  private Set<Long> members = Set.of();
  /** ResultHandoff: each write completes before this incarnation delivers its txn (the protocol tests' rule too). */
  private final ResultHandoffCheck handoff = new ResultHandoffCheck(Zxid.ZERO);
  /** FrameCap: every message it sends fits the cores' frame (null: not checked), the protocol tests' rule too. */
  private final FrameCheck frames;
  /**
   * Whether its transport ever listed a server its membership did not, while not leading: it had missed a change and
   * learned that server's address from election notifications (issue 11, stranded members).
   */
  private boolean learnedAddresses;
  /** What this incarnation's core last announced with RoleChanged (LOOKING until its first announcement). */
  private Action.RoleChanged announced = new Action.RoleChanged(Role.LOOKING, 0, -1, Zxid.ZERO);

  private record Inbound(Event event, long from, long generation, long bytes) {}

  SimServer(long id, Simulation sim, SimDisk disk) {
    this.id = id;
    this.sim = sim;
    this.disk = disk;
    this.unhandledBytes = new long[sim.config().servers() + 1];
    this.unhandledGeneration = new long[sim.config().servers() + 1];
    this.frames = sim.config().maxFrameBytes() > 0 ? new FrameCheck(sim.config().maxFrameBytes()) : null;
    disk.onPersisted(z -> handle(new Event.Persisted(z)));
  }

  /**
   * The server's id.
   *
   * @return the id, 1 to the number of servers
   */
  public long id() {
    return id;
  }

  /**
   * Whether the server runs (started, and not crashed or stopped since).
   *
   * @return true if it runs, paused or not
   */
  public boolean alive() {
    return alive;
  }

  /**
   * Whether the server runs but is paused now.
   *
   * @return true while a pause lasts
   */
  public boolean paused() {
    return alive && sim.now() < pausedUntil;
  }

  long incarnation() {
    return incarnation;
  }

  /**
   * The protocol core of its current (or last) incarnation.
   *
   * @return the core, or null before the first start
   */
  public ProtocolNode node() {
    return node;
  }

  /**
   * The state machine of its current (or last) incarnation.
   *
   * @return the state machine, or null before the first start
   */
  public StateMachine stateMachine() {
    return stateMachine;
  }

  /**
   * Its disk, which outlives crashes.
   *
   * @return the disk
   */
  public SimDisk disk() {
    return disk;
  }

  /**
   * The zxid of the last txn applied to the state machine.
   *
   * @return the last applied zxid
   */
  public Zxid applied() {
    return applied;
  }

  /**
   * The core's role.
   *
   * @return its role, or null while the server is down
   */
  public Role role() {
    return alive ? node.role() : null;
  }

  /** Whether it runs and its transport lists {@code peer} (a connection needs both ends to list each other). */
  boolean knows(long peer) {
    return alive && lists(peer);
  }

  /** Whether its transport lists {@code peer}, running or not. */
  boolean lists(long peer) {
    return members.contains(peer);
  }

  /** See {@link #learnedAddresses}. */
  boolean learnedAddresses() {
    return learnedAddresses;
  }

  private Set<Long> ids(List<Member> list) {
    Set<Long> out = new HashSet<>();
    list.forEach(m -> out.add(m.id()));
    out.remove(id);
    return Set.copyOf(out);
  }

  /**
   * Why the last start was refused (as the runtime refuses it: lost, damaged or stale epoch files).
   *
   * @return the runtime's reason, or null if the last start was not refused
   */
  public String refusal() {
    return refusal;
  }

  /** Starts from what the disk holds; false (and the server stays down) if the runtime would refuse the start. */
  boolean start() {
    if (alive) {
      throw new IllegalStateException("server " + id + " is already running");
    }
    if (disk.recoverEpochs() instanceof EpochRecovery.Refuse r) {
      refusal = r.reason();
      return false;
    }
    refusal = null;
    DurableState durable = disk.durableState();
    stateMachine = sim.config().stateMachines().get();
    try {
      stateMachine.restore(durable.snapshotState());
    } catch (IOException e) {
      throw new UncheckedIOException("server " + id + ": restoring the snapshot at " + durable.snapshotZxid(), e);
    }
    appliedMembership = durable.snapshotMembership();
    applied = durable.snapshotZxid();
    handoff.restarted(applied);
    sim.history().restored(id, applied);
    node = sim.config().protocol().create(id, sim.config().initialConfiguration(id), durable);
    members = ids(node.membership().members()); // as the runtime sets its transport's members at start
    alive = true;
    incarnation++;
    pausedUntil = 0;
    announced = new Action.RoleChanged(Role.LOOKING, 0, -1, Zxid.ZERO);
    checkEpochs(); // the state it starts from, before its protocol thread handles anything
    handle(new Event.Start());
    scheduleTick(incarnation, sim.random().nextLong(1, sim.config().tickMicros() + 1));
    return true;
  }

  private void scheduleTick(long inc, long delay) {
    sim.scheduler().after(delay, () -> {
      if (!alive || inc != incarnation) {
        return;
      }
      if (!paused()) {
        handle(new Event.Tick());
      }
      scheduleTick(inc, sim.config().tickMicros());
    });
  }

  /** Crash: the process dies, unsynced writes are (mostly) lost, outstanding requests have unknown outcome. */
  void crash() {
    disk.crash();
    die();
  }

  /** Clean stop: the disk is flushed first. */
  void stop() {
    disk.flush();
    die();
  }

  private void die() {
    alive = false;
    incarnation++;
    inbox.clear();
    drainScheduled = false;
    java.util.Arrays.fill(unhandledBytes, 0);
    applyQueue.clear();
    applying = false;
    waitingForApply.clear();
    List<SimRequest> lost = new ArrayList<>(requests.values());
    requests.clear();
    lost.forEach(SimRequest::lose);
    sim.network().refresh();
  }

  /** The process stops running for {@code micros}; what arrives meanwhile waits, ticks are skipped. */
  void pause(long micros) {
    if (!alive) {
      return;
    }
    pausedUntil = Math.max(pausedUntil, sim.now() + micros);
    long inc = incarnation;
    sim.scheduler().at(pausedUntil, () -> {
      if (inc == incarnation) {
        resume();
      }
    });
  }

  private void resume() {
    scheduleDrain();
  }

  void receive(long inc, Event event) {
    if (inc == incarnation) {
      handle(event);
    }
  }

  void receive(long inc, long from, Message m, long generation, long bytes) {
    if (inc != incarnation || !alive) {
      return;
    }
    int f = (int) from;
    if (generation > unhandledGeneration[f]) {
      unhandledGeneration[f] = generation; // a new connection: what is left of the old one no longer counts
      unhandledBytes[f] = 0;
    }
    unhandledBytes[f] += bytes;
    enqueue(new Inbound(new Event.Received(from, m), from, generation, bytes));
  }

  /** Counted bytes from {@code from} on connection {@code generation} that this server has not handled yet. */
  long unhandledBytesFrom(long from, long generation) {
    return alive && unhandledGeneration[(int) from] == generation ? unhandledBytes[(int) from] : 0;
  }

  SimRequest submit(byte[] data) {
    SimRequest r = new SimRequest(id, sim.nextRequestId(), data.clone());
    sim.history().submitted(data);
    if (!alive) {
      r.reject(RejectCode.CLOSED, 0);
      return r;
    }
    requests.put(r.id(), r);
    handoff.submitted(r.id());
    handle(new Event.Submit(r.id(), data.clone()));
    return r;
  }

  /** A reconfiguration asked on this server (issue 11); new voters get {@code catchUpTicks} to catch up. */
  SimRequest reconfigure(ClusterConfiguration target, long catchUpTicks) {
    return admin("reconfigure to " + target, rid -> new Event.Reconfigure(rid, target, catchUpTicks));
  }

  /** A leadership transfer to {@code target} asked on this server (issue 11). */
  SimRequest transferLeadership(long target, long timeoutTicks) {
    return admin("transfer to s" + target, rid -> new Event.TransferLeadership(rid, target, timeoutTicks));
  }

  private SimRequest admin(String what, LongFunction<Event> event) {
    SimRequest r = new SimRequest(id, sim.nextRequestId(), null, what);
    if (!alive) {
      r.reject(RejectCode.CLOSED, 0);
      return r;
    }
    requests.put(r.id(), r);
    handle(event.apply(r.id()));
    return r;
  }

  SimRequest readBarrier() {
    SimRequest r = new SimRequest(id, sim.nextRequestId(), null);
    if (!alive) {
      r.reject(RejectCode.CLOSED, 0);
      return r;
    }
    requests.put(r.id(), r);
    handle(new Event.ReadBarrier(r.id()));
    return r;
  }

  private void handle(Event event) {
    enqueue(new Inbound(event, 0, 0, 0));
  }

  private void enqueue(Inbound in) {
    if (!alive) {
      return;
    }
    inbox.add(in);
    scheduleDrain();
  }

  /** The protocol thread wakes up a little later (it may be busy): events queued meanwhile make one batch. */
  private void scheduleDrain() {
    if (drainScheduled || !alive || paused() || inbox.isEmpty()) {
      return;
    }
    drainScheduled = true;
    long inc = incarnation;
    long delay = sim.random().nextInt(20) == 0 ? sim.random().nextLong(0, 3_001) : sim.random().nextLong(0, 301);
    sim.scheduler().after(delay, () -> {
      if (inc == incarnation) {
        drainScheduled = false;
        drain();
      }
    });
  }

  /** Hands a random prefix of the queue (often all of it) to the core in one {@code handleAll}. */
  private void drain() {
    if (!alive || paused() || inbox.isEmpty()) {
      return;
    }
    int queued = inbox.size();
    int take = sim.random().nextBoolean() ? queued : 1 + sim.random().nextInt(queued);
    List<Event> batch = new ArrayList<>(take);
    for (int i = 0; i < take; i++) {
      Inbound in = inbox.poll();
      if (in.bytes() > 0 && unhandledGeneration[(int) in.from()] == in.generation()) {
        unhandledBytes[(int) in.from()] -= in.bytes();
      }
      batch.add(in.event());
    }
    List<Action> actions;
    Role roleBefore = node.role();
    Zxid committedBefore = node.committedZxid();
    Membership inForce = node.membership();
    try {
      actions = node.handleAll(batch);
    } catch (RuntimeException e) {
      batch.forEach(ev -> sim.trace().event(sim.now(), id, ev));
      sim.violations().report("CoreFailure", id, "handleAll(" + batch + ") threw " + e + " at "
          + Arrays.toString(Arrays.copyOf(e.getStackTrace(), Math.min(5, e.getStackTrace().length))));
      return;
    }
    for (Event ev : batch) {
      // A tick that changed nothing would only bury the interesting steps of a trace.
      if (!(ev instanceof Event.Tick) || !actions.isEmpty()) {
        sim.trace().event(sim.now(), id, ev);
      }
    }
    long inc = incarnation;
    for (Action a : actions) {
      if (inc != incarnation) {
        return;
      }
      sim.trace().action(sim.now(), id, a);
      execute(a);
    }
    checkEpochs();
    if (roleBefore == Role.LEADING && node.role() == Role.LEADING) {
      sim.membership().commitMoved(this, inForce, node.membership(), committedBefore, node.committedZxid());
    }
    sim.membership().check();
    scheduleDrain();
  }

  private void execute(Action action) {
    // Append, Truncate, the epochs and RepairDone: carried out as the protocol tests' disk carries them out
    if (StorageContract.carryOut(action, disk, problem -> sim.violations().report("EpochMonotonic", id, problem))) {
      return;
    }
    if (action instanceof Action.Send s) {
      checkRepairing(s.message());
      String tooBig = frames == null ? null : frames.problem(s.message());
      if (tooBig != null) {
        sim.violations().report("FrameCap", id, "sent server " + s.to() + " " + tooBig + " (issue 10 item 1)");
      }
      sim.leadership().sent(id, s.message());
      sim.sent(id, s.to(), s.message());
      sim.network().send(id, s.to(), s.message());
    } else if (action instanceof Action.Deliver d) {
      sim.membership().delivered(d.txns());
      handoff.delivered(d.txns());
      deliver(d.txns());
    } else if (action instanceof Action.Complete c) {
      complete(c);
    } else if (action instanceof Action.Reject r) {
      reject(r);
    } else if (action instanceof Action.SendSnapshot s) {
      sendSnapshot(s);
    } else if (action instanceof Action.InstallSnapshot i) {
      installSnapshot(i.chunk());
    } else if (action instanceof Action.DiscardSnapshot) {
      disk.discardIncomingSnapshot();
    } else if (action instanceof Action.RoleChanged rc) {
      announced = rc;
      if (rc.role() == Role.LEADING && disk.repairing() != null) {
        sim.violations().report("RepairNoVote", id, "leads epoch " + rc.epoch() + " while repairing ("
            + disk.repairing() + "): it may lack txns it acknowledged");
      }
    } else if (action instanceof Action.UpdateMembers u) {
      members = ids(u.members());
      // a server that is not leading lists only its membership, unless it learned newer members from notifications
      learnedAddresses |= node().role() != Role.LEADING && !members.stream().allMatch(node().membership()::isMember);
      sim.network().refresh(); // connections to servers no longer listed break; new ones come with the next sweep
    }
  }

  /** Applies at once, or one txn per applyMicros for a slow state machine (in order, as the apply thread does). */
  private void deliver(List<Txn> txns) {
    if (sim.config().speedOf(id).applyMicros() == 0) {
      txns.forEach(this::apply);
      return;
    }
    applyQueue.addAll(txns);
    applyNextLater();
  }

  private void applyNextLater() {
    if (applying || applyQueue.isEmpty()) {
      return;
    }
    applying = true;
    long inc = incarnation;
    sim.scheduler().after(sim.config().speedOf(id).applyMicros(), () -> {
      if (inc == incarnation) {
        applying = false;
        if (!applyQueue.isEmpty()) { // a snapshot install may have applied the rest already
          apply(applyQueue.poll());
        }
        applyNextLater();
      }
    });
  }

  private void apply(Txn txn) {
    if (!txn.zxid().isAfter(applied)) {
      sim.violations().report("TotalOrder", id, "delivered " + txn.zxid() + " after already applying " + applied);
      return;
    }
    sim.history().delivered(id, txn);
    if (txn.isConfig()) {
      appliedMembership = MembershipCodec.decode(txn.data()); // zab's own: never the state machine's
    } else {
      stateMachine.apply(txn.zxid(), ByteBuffer.wrap(txn.data()).asReadOnlyBuffer());
    }
    applied = txn.zxid();
    releaseCompleted();
    int every = sim.config().snapshotEvery();
    if (every > 0 && ++appliedSinceSnapshot >= every) {
      long inc = incarnation;
      sim.scheduler().after(0, () -> {
        if (inc == incarnation) {
          maybeSnapshot();
        }
      });
    }
  }

  /** Snapshots only when no append is waiting for its fsync, so the core never waits on a dropped append. */
  private void maybeSnapshot() {
    if (!alive || paused() || appliedSinceSnapshot < sim.config().snapshotEvery() || !disk.lastZxid().equals(disk.durableLastZxid())
        || applied.compareTo(disk.snapshotZxid()) <= 0) {
      return;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      out.write(SnapshotHeader.encode(appliedMembership)); // what the runtime's snapshots start with
      stateMachine.snapshot(out);
    } catch (IOException e) {
      throw new UncheckedIOException("server " + id + ": snapshot at " + applied, e);
    }
    disk.saveSnapshot(applied, out.toByteArray());
    appliedSinceSnapshot = 0;
    handle(new Event.SnapshotTaken(applied));
  }

  private void complete(Action.Complete c) {
    SimRequest r = requests.get(c.requestId());
    if (r == null) {
      sim.violations().report("ActionContract", id, "Complete for request " + c.requestId() + " which is not outstanding");
      return;
    }
    String late = handoff.completed(c.requestId(), c.zxid());
    if (late != null) {
      sim.violations().report("ResultHandoff", id, late);
    }
    if (c.zxid().compareTo(applied) <= 0) {
      finish(r, c.zxid());
    } else {
      waitingForApply.computeIfAbsent(c.zxid(), z -> new ArrayList<>()).add(r);
    }
  }

  private void releaseCompleted() {
    while (!waitingForApply.isEmpty() && waitingForApply.firstKey().compareTo(applied) <= 0) {
      Map.Entry<Zxid, List<SimRequest>> e = waitingForApply.pollFirstEntry();
      e.getValue().forEach(r -> finish(r, e.getKey()));
    }
  }

  private void finish(SimRequest r, Zxid at) {
    requests.remove(r.id());
    if (r.isWrite()) {
      sim.history().acknowledged(id, at, r.data());
    }
    r.complete(at);
  }

  private void reject(Action.Reject rej) {
    SimRequest r = requests.remove(rej.requestId());
    if (r == null) {
      sim.violations().report("ActionContract", id, "Reject for request " + rej.requestId() + " which is not outstanding");
      return;
    }
    if (r.isWrite() && rej.code() != RejectCode.OUTCOME_UNKNOWN) {
      sim.history().rejected(id, r.data());
    }
    r.reject(rej.code(), rej.leader());
  }

  private void sendSnapshot(Action.SendSnapshot s) {
    byte[] state = disk.snapshotAt(s.snapshotZxid());
    if (state == null) {
      sim.violations().report("ActionContract", id, "SendSnapshot of " + s.snapshotZxid() + " which this disk does not hold");
      return;
    }
    int offset = 0;
    do {
      int len = Math.min(SNAPSHOT_CHUNK_BYTES, state.length - offset);
      boolean last = offset + len == state.length;
      Message chunk = new Message.SnapChunk(s.snapshotZxid(), offset, Arrays.copyOfRange(state, offset, offset + len), last);
      sim.network().send(id, s.to(), chunk);
      offset += len;
    } while (offset < state.length);
  }

  private void installSnapshot(Message.SnapChunk chunk) {
    byte[] state = disk.installChunk(chunk);
    if (state == null) {
      return;
    }
    while (!applyQueue.isEmpty()) { // the restore is queued behind what was delivered before it
      apply(applyQueue.poll());
    }
    try {
      ByteArrayInputStream in = new ByteArrayInputStream(state);
      appliedMembership = SnapshotHeader.read(in);
      stateMachine.restore(in);
    } catch (IOException e) {
      throw new UncheckedIOException("server " + id + ": installing the snapshot at " + chunk.snapshotZxid(), e);
    }
    applied = chunk.snapshotZxid();
    handoff.installed(applied);
    appliedSinceSnapshot = 0;
    sim.history().restored(id, applied);
    releaseCompleted();
  }

  /**
   * A server whose disk holds the repairing marker may have lost txns it acknowledged: it must not vote, nor say it
   * does when it joins a leader (docs/protocol.md, repair).
   */
  private void checkRepairing(io.zab.wire.Message m) {
    if (disk.repairing() == null) {
      return;
    }
    boolean claimsVote = (m instanceof io.zab.wire.Message.Notification n && n.voting())
        || (m instanceof io.zab.wire.Message.FollowerInfo fi && fi.voting());
    if (claimsVote) {
      sim.violations().report("RepairNoVote", id, "sent " + m + " as a voter while repairing (" + disk.repairing()
          + ")");
    }
  }

  private void checkEpochs() {
    if (!alive) {
      return;
    }
    if (node.acceptedEpoch() < node.currentEpoch()) {
      sim.violations().report("EpochOrder", id, "acceptedEpoch " + node.acceptedEpoch() + " < currentEpoch " + node.currentEpoch());
    }
    if (disk.acceptedEpoch() < disk.currentEpoch()) {
      sim.violations().report("EpochOrder", id, "on disk acceptedEpoch " + disk.acceptedEpoch() + " < currentEpoch " + disk.currentEpoch());
    }
    // A server holding a txn of epoch E must have accepted E: otherwise it may elect or follow a leader of an epoch
    // <= E, whose first zxid cannot follow its log (issue 14: lost epoch files killed every leader).
    if (node.acceptedEpoch() < node.lastZxid().epoch()) {
      sim.violations().report("EpochCoversLog", id, "acceptedEpoch " + node.acceptedEpoch() + " < epoch of the last"
          + " logged zxid " + node.lastZxid());
    }
    if (disk.acceptedEpoch() < disk.lastZxid().epoch()) {
      sim.violations().report("EpochCoversLog", id, "on disk acceptedEpoch " + disk.acceptedEpoch() + " < epoch of"
          + " the last logged zxid " + disk.lastZxid());
    }
  }

  /**
   * Whether this server serves clients in its current epoch: its core announced (RoleChanged) the role,
   * leader and epoch it is in now (the core announces FOLLOWING/LEADING once sync completed), and it has
   * accepted no newer epoch since.
   *
   * @return true if it serves
   */
  public boolean synced() {
    return alive && announced.role() != Role.LOOKING && node.role() == announced.role()
        && node.leader() == announced.leader() && node.currentEpoch() == announced.epoch()
        && node.currentEpoch() == node.acceptedEpoch();
  }
}
