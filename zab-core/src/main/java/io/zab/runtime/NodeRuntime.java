package io.zab.runtime;

import io.zab.Applied;
import io.zab.ClosedException;
import io.zab.ClusterConfiguration;
import io.zab.Member;
import io.zab.StatusListener;
import io.zab.ZabStatus;
import io.zab.OverloadedException;
import io.zab.ResultStateMachine;
import io.zab.Role;
import io.zab.TooLargeException;
import io.zab.ZabException;
import io.zab.ZabListener;
import io.zab.ZabThreads;
import io.zab.Zxid;
import io.zab.metrics.NodeMetrics;
import io.zab.protocol.Action.RoleChanged;
import io.zab.protocol.Event;
import io.zab.protocol.Peer;
import io.zab.protocol.PeerConfig;
import io.zab.storage.LogWriter;
import io.zab.storage.StorageLostException;
import io.zab.transport.Transport;
import io.zab.wire.Message;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires and runs one server: recovery, the protocol, log, apply and ticker threads and the transport.
 * Internal: applications use {@code io.zab.ZabNode}, which delegates here. Thread-safe.
 */
public final class NodeRuntime {
  private static final Logger log = LoggerFactory.getLogger(NodeRuntime.class);

  private final NodeConfig config;
  private final long id;
  private final EventQueue queue;
  private final Callbacks callbacks;
  private final Requests requests;
  private final RoleReporter roles;
  private volatile ConfigurationReporter configurations;
  private final AtomicLong logBacklogBytes = new AtomicLong();
  private final IntakeGate gate;
  private final StatusBoard board;
  private final HopTrace hops;
  private volatile NodeStatus status = NodeStatus.INITIAL;
  private volatile boolean started;
  private volatile boolean stopping;
  private volatile Throwable fatal;
  private volatile String fatalWhat; // what failed, in words, set with fatal
  private final CountDownLatch stopped = new CountDownLatch(1);
  /** Completed once every thread has stopped: normally after close(), with the cause after a fatal error. */
  private final CompletableFuture<Void> termination = new CompletableFuture<>();

  // Set once by start(); read by close().
  private DataDirLock dataDirLock;
  private Transport transport;
  private LogWriter logWriter;
  private SnapshotTaker snapshotTaker;
  private ApplyLoop applyLoop;
  private volatile ProtocolLoop protocolLoop; // volatile: the log writer's reports read it
  private Ticker ticker;
  private NodeInstruments instruments;

  public NodeRuntime(NodeConfig config) {
    this.config = config;
    this.id = config.serverId();
    this.queue = new EventQueue(Math.max(1_024, config.maxOutstanding()));
    this.hops = HopTrace.fromSystemProperty(id);
    this.callbacks = new Callbacks(id, config.callbackExecutor());
    this.requests = new Requests(config.maxOutstanding(), callbacks);
    this.roles = new RoleReporter(id, callbacks);
    this.gate = new IntakeGate(id, queue, () -> applyLoop == null ? 0 : applyLoop.backlog(), config.maxOutstanding(),
        () -> applyLoop == null ? 0 : applyLoop.backlogBytes(), config.maxApplyBacklogBytes(), logBacklogBytes::get,
        config.maxLogBacklogBytes());
    this.board = new StatusBoard(id, Duration.ofMillis(config.tickMillis()), config.monitoring().statusPeriod(),
        callbacks, System::nanoTime, Clock.systemUTC());
  }

  /** Recovers from the data directory and starts every thread. See {@code ZabNode#start()}. */
  public synchronized void start() throws IOException {
    if (started || stopping) {
      throw new IllegalStateException("server " + id + " was already started" + (stopping ? " and closed" : ""));
    }
    queue.post(new Event.Start()); // first, before any request or anything the transport reports
    started = true;
    try {
      dataDirLock = DataDirLock.acquire(id, config.dataDir(), config.syncer());
      NodeMetrics metrics = config.monitoring().metrics().forServer(id);
      instruments = new NodeInstruments(metrics, System::nanoTime, hops);
      Recovery.Recovered r = Recovery.run(id, config.dataDir(), config.stateMachine(), config.logOptions()
          .withSyncer(new TimedSyncer(config.syncer(), instruments.fsyncLatency(), System::nanoTime)));
      LocalSnapshots snapshots = new LocalSnapshots(r.snapshots());
      // Unbounded, so the protocol thread never waits to queue a write (nor the writer itself, when it runs a batch:
      // persisted()); the IntakeGate bounds what is queued.
      logWriter = new LogWriter(r.log(), Integer.MAX_VALUE, this::persisted,
          e -> fail(logFailure(e), e), ZabThreads.factory(id, "log-writer"));
      snapshotTaker = new SnapshotTaker(id, snapshots, config.dataDir().resolve("snapshots"), z -> {
        instruments.snapshotTaken();
        queue.post(new Event.SnapshotTaken(z));
      }, this::fail, System::nanoTime);
      applyLoop = new ApplyLoop(id, config.stateMachine(), r.state().snapshotZxid(), r.state().snapshotMembership(),
          config.snapshotEveryTxns(), ApplyLoop.SNAPSHOT_EVERY_BYTES, snapshots, snapshotTaker,
          e -> fail("the state machine threw", e), callbacks, hops);
      transport = config.transport().create(id, config.initial().members());
      transport.bindMetrics(metrics);
      PeerConfig peerConfig = peerConfig(transport.maxFrameBytes());
      Peer peer = new Peer(peerConfig, r.state());
      configurations = new ConfigurationReporter(id, peer.configuration(), callbacks, roles);
      startingMembership(peer);
      ActionRunner runner = new ActionRunner(id, transport, logWriter, r.epochs(), applyLoop, requests, snapshots,
          r.state().snapshotZxid(), snapshotTaker::runBetweenWrites, roles, configurations, config.maxTxnBytes(),
          logBacklogBytes, () -> stopping, this::fail, instruments, new RepairJournal(id, config.dataDir(), config.syncer()));
      StatusBuilder statusBuilder = new StatusBuilder(id, peer, () -> runner.snapshotTransfers(peer.leader()),
          applyLoop, logBacklogBytes::get, config.tickMillis(), Clock.systemUTC());
      instruments.registerGauges(applyLoop::backlog, applyLoop::backlogBytes, logBacklogBytes::get,
          () -> status.heldTxns(), () -> status.heldBytes(), board::latest,
          peer.membership().members().stream().map(m -> m.id()).filter(m -> m != id).toList());
      protocolLoop = new ProtocolLoop(id, new PeerWork(peer, runner, gate, s -> {
        status = s;
        board.afterBatch(statusBuilder);
      }), queue, e -> fail("the protocol failed", e));
      board.afterBatch(statusBuilder); // status() tells the recovered state (epoch, zxids, repair) from the start
      applyLoop.start();
      // The transport first: the core's first actions (votes, a membership update) must find it started. What it
      // reports meanwhile waits in the queue behind Start.
      transport.start(new Inbound());
      protocolLoop.start();
      ticker = new Ticker(id, config.tickMillis(), queue);
      hops.start();
      log.info("server {} started: {}, data in {}", id, peer.membership(), config.dataDir());
    } catch (IOException | RuntimeException e) {
      shutdown(new ClosedException("server " + id + " failed to start", e));
      throw e;
    }
  }

  /**
   * The log writer's report that everything up to {@code z} is durable. While the protocol is idle the writer
   * runs the batch itself (a follower's ACK then leaves from here, without waking the protocol thread); else the
   * protocol thread takes it.
   */
  private void persisted(Zxid z) {
    hops.stamp(HopTrace.Hop.DURABLE, z);
    Event e = new Event.Persisted(z);
    ProtocolLoop loop = protocolLoop;
    if (loop == null || !loop.tryRunHere(e)) {
      queue.post(e);
    }
  }

  /**
   * The membership a recovered log or snapshot holds replaces the configured members (docs/protocol.md,
   * membership): the transport reaches those. This server keeps listening where it was configured to; a
   * configuration naming another address for it is worth a warning (its peers dial that one).
   */
  private void startingMembership(Peer peer) {
    transport.updateMembers(peer.membership().members());
    Member configured = config.initial().member(id).orElseThrow();
    peer.membership().members().stream().filter(m -> m.id() == id && !m.equals(configured)).findFirst()
        .ifPresent(m -> log.warn("server {} listens at {} as configured, but the cluster configuration ({}) has it at"
            + " {}: peers dial that address; change it with reconfigure, or start this server there", id,
            configured, peer.membership(), m));
    if (!peer.membership().isMember(id)) {
      log.warn("server {} is not a member of {}: it takes no part until it is added (reconfigure)", id,
          peer.membership());
    }
  }

  /**
   * The core's settings; its frame is the smaller of the node's and the transport's.
   *
   * @throws IllegalArgumentException if one txn of maxTxnBytes does not fit that frame
   */
  private PeerConfig peerConfig(int transportFrameBytes) {
    int frame = Math.min(config.maxFrameBytes(), transportFrameBytes);
    try {
      PeerConfig.requireTxnFitsFrame(config.maxTxnBytes(), frame);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("server " + id + ": the transport carries frames of at most "
          + transportFrameBytes + " bytes: " + e.getMessage(), e);
    }
    return new PeerConfig(id, config.initial(), config.timing(), config.maxTxnBytes(), config.maxOutstanding(),
        config.maxBatchTxns(), frame, config.maxInFlightBytes(), PeerConfig.DEFAULT_LOG_RETENTION_BYTES);
  }

  /** See {@code ZabNode#submit}. */
  public CompletableFuture<Zxid> submit(byte[] data) {
    return submit(data, true, new CompletableFuture<>());
  }

  /** See {@code ZabNode#submitWithoutCopy}. */
  public CompletableFuture<Zxid> submitWithoutCopy(byte[] data) {
    return submit(data, false, new CompletableFuture<>());
  }

  /** See {@code ZabNode#submitForResult}. */
  public <R> CompletableFuture<Applied<R>> submitForResult(byte[] data) {
    if (!(config.stateMachine() instanceof ResultStateMachine)) {
      throw new IllegalStateException("submitForResult needs a ResultStateMachine, but the state machine of server "
          + id + " is a " + config.stateMachine().getClass().getName() + ", which returns no results: use submit()");
    }
    return submit(data, true, new ResultFuture<R>());
  }

  /**
   * Hands a write to the core; {@code f} completes once it is applied here (or fails now if refused). Without
   * {@code copy} the core keeps the caller's array, which the caller promised not to change.
   */
  private <F extends CompletableFuture<?>> F submit(byte[] data, boolean copy, F f) {
    if (data.length > config.maxTxnBytes()) {
      f.completeExceptionally(new TooLargeException(data.length, config.maxTxnBytes()));
      return f;
    }
    String refusal = gate.refusal();
    if (refusal != null) {
      f.completeExceptionally(new OverloadedException(refusal));
      return f;
    }
    byte[] txn = copy ? data.clone() : data; // a reused array must not change what the log and the peers see
    return enqueue(rid -> new Event.Submit(rid, txn), f);
  }

  /** See {@code ZabNode#sync}. */
  public CompletableFuture<Zxid> sync() {
    return enqueue(Event.ReadBarrier::new, new CompletableFuture<>());
  }

  /** See {@code ZabNode#configuration}. */
  public ClusterConfiguration configuration() {
    ConfigurationReporter c = configurations;
    return c != null ? c.current() : config.initial();
  }

  /** See {@code ZabNode#reconfigure}. */
  public CompletableFuture<ClusterConfiguration> reconfigure(ClusterConfiguration target, Duration catchUp) {
    long ticks = ticks(catchUp);
    return enqueue(rid -> new Event.Reconfigure(rid, target, ticks), new CompletableFuture<Zxid>())
        .thenApply(zxid -> configurations.atVersion(zxid.value()));
  }

  /** See {@code ZabNode#transferLeadership}. */
  public CompletableFuture<Void> transferLeadership(long target, Duration timeout) {
    long ticks = ticks(timeout);
    return enqueue(rid -> new Event.TransferLeadership(rid, target, ticks), new CompletableFuture<Zxid>())
        .thenApply(zxid -> null);
  }

  /** A duration in ticks of the core's clock, rounded up. */
  private long ticks(Duration d) {
    long millis = d.toMillis();
    return Math.max(1, (millis + config.tickMillis() - 1) / config.tickMillis());
  }

  private <F extends CompletableFuture<?>> F enqueue(java.util.function.LongFunction<Event> event, F f) {
    ZabException refused = refusal();
    if (refused != null) {
      f.completeExceptionally(refused);
      return f;
    }
    long rid;
    try {
      rid = requests.register(f);
    } catch (OverloadedException e) {
      f.completeExceptionally(e);
      return f;
    }
    hops.stamp(HopTrace.Hop.SUBMIT, rid);
    if (!queue.offer(event.apply(rid))) {
      requests.remove(rid);
      refused = refusal();
      f.completeExceptionally(refused != null ? refused
          : new OverloadedException("the event queue of server " + id + " is full"));
    }
    return f;
  }

  private ZabException refusal() {
    if (!started) {
      throw new IllegalStateException("server " + id + " is not started: call start() first");
    }
    if (fatal != null) {
      return new ClosedException("server " + id + " stopped after a fatal error: " + fatalWhat + " (" + fatal + ")",
          fatal);
    }
    if (stopping) {
      return new ClosedException("server " + id + " is closed");
    }
    return null;
  }

  public Role role() {
    return status.role();
  }

  public OptionalLong leader() {
    return Leaders.of(status.leader());
  }

  /** See {@code ZabNode#status()}. */
  public ZabStatus status() {
    return board.latest();
  }

  public void addStatusListener(StatusListener l) {
    board.add(l);
  }

  public long epoch() {
    return status.epoch();
  }

  public Zxid lastZxid() {
    return status.lastZxid();
  }

  public Zxid committedZxid() {
    return status.committedZxid();
  }

  /** The last zxid applied to the state machine on this server. */
  public Zxid appliedZxid() {
    return applyLoop == null ? Zxid.ZERO : applyLoop.applied();
  }

  public void addListener(ZabListener l) {
    roles.add(l);
  }

  /** See {@code ZabNode#close()}. */
  public void close() {
    shutdown(new ClosedException("server " + id + " was closed before the request finished"));
  }

  /**
   * Stops in the order that keeps the disk consistent (ZOOKEEPER-4712): protocol first (no new actions), then
   * the log (drained, fsynced, closed), then the apply thread, then the transport; the data directory lock last.
   * A caller that finds a shutdown already under way waits for it to finish, so that once any close() returns
   * nothing of this node runs any more. One of the node's own threads (a callback) cannot wait for itself: it
   * hands the shutdown to a thread of its own, which joins it once the callback has returned.
   */
  private void shutdown(ZabException reason) {
    boolean ownThread = onOwnThread();
    synchronized (this) {
      if (stopping) {
        if (!ownThread) {
          awaitStopped();
        }
        return;
      }
      stopping = true;
    }
    if (ownThread) {
      ZabThreads.newThread(id, "stop", () -> stopAndSignal(reason)).start();
    } else {
      stopAndSignal(reason);
    }
  }

  private void stopAndSignal(ZabException reason) {
    try {
      stopEverything(reason);
    } finally {
      stopped.countDown();
      Throwable cause = fatal;
      if (cause == null) {
        termination.complete(null);
      } else {
        termination.completeExceptionally(new ClosedException("server " + id + " stopped after a fatal error: "
            + fatalWhat + " (" + cause + ")", cause));
      }
    }
  }

  /** See {@code ZabNode#stopped()}. */
  public CompletableFuture<Void> stopped() {
    return termination.copy();
  }

  private boolean onOwnThread() {
    return (protocolLoop != null && protocolLoop.isCurrentThread()) || (applyLoop != null && applyLoop.isCurrentThread())
        || (logWriter != null && logWriter.isWriterThread())
        || (snapshotTaker != null && snapshotTaker.isSnapshotThread());
  }

  private void awaitStopped() {
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void stopEverything(ZabException reason) {
    if (ticker != null) {
      ticker.close();
    }
    if (protocolLoop != null) {
      protocolLoop.stop();
    } else {
      queue.close();
    }
    if (logWriter != null) {
      logWriter.close();
    }
    if (applyLoop != null) {
      applyLoop.close(reason);
    }
    if (snapshotTaker != null) {
      snapshotTaker.close(); // after the apply thread: no capture comes after this
    }
    requests.failAll(reason);
    if (transport != null) {
      transport.close();
    }
    status = status.stopped();
    board.stopped(status, appliedZxid(), Clock.systemUTC());
    if (instruments != null) {
      instruments.close(); // after the transport: its meters go too
    }
    if (dataDirLock != null) {
      dataDirLock.close();
    }
    callbacks.close(); // after every future was failed: those completions still run
    hops.close();
    log.info("server {} closed", id);
  }

  /**
   * A fatal error (fsync failure, state machine or core failure): the node stops for good and never acks again;
   * every pending request fails. Called from any thread, once per cause.
   */
  private void fail(String what, Throwable cause) {
    synchronized (this) {
      if (fatal != null || stopping) {
        return;
      }
      fatalWhat = what;
      fatal = cause;
    }
    log.error("server {}: {}; stopping this server (it must not ack or apply anything more)", id, what, cause);
    queue.close(); // no more events reach the core, so nothing more is sent or acked
    ClosedException reason = new ClosedException("server " + id + " stopped: " + what + " (" + cause + ")", cause);
    requests.failAll(reason);
    NodeStatus s = status;
    status = s.stopped();
    board.stopped(status, appliedZxid(), Clock.systemUTC());
    roles.report(new RoleChanged(Role.LOOKING, 0, s.epoch(), s.lastZxid()));
    // The rest of the teardown joins threads, possibly the caller's own: run it elsewhere.
    ZabThreads.newThread(id, "fatal-stop", () -> shutdown(reason)).start();
  }

  /** What the fatal error line says about a failed log. */
  private static String logFailure(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof StorageLostException lost) {
        return "its data directory was deleted, moved or replaced while it was running (" + lost.file()
            + " is gone); what it writes is no longer durable";
      }
    }
    return "an fsync or write of the transaction log failed";
  }

  /**
   * What the transport reports, as core events. Never waits: past the bounds it asks the transport to stop
   * reading (IntakeGate) instead of holding the transport's thread.
   *
   * <p>A message that arrives while the protocol is idle has its batch run here, on the transport's thread
   * ({@link ProtocolLoop#tryRunHere}; issue 12): a follower's PROPOSAL reaches its log writer, and the leader's ACK
   * becomes COMMIT, Deliver and Complete, without waking the protocol thread. That is safe because:
   * <ul>
   *   <li>only actions that never wait run here (ActionRunner#runsAnywhere): a send queues a frame (Netty: a
   *       write is a task on the connection's event loop, even from that loop, so a connection stays FIFO; one over the pending bound closes the
   *       connection rather than wait; nothing waits for writability, which only a snapshot stream asks and that
   *       is left to the protocol thread), an append or a delivery goes to an unbounded queue, a completion is
   *       queued for the callback executor; the rest of the batch is left to the protocol thread;</li>
   *   <li>the lock is only tried, never waited for: the protocol thread may hold it while it waits for a
   *       connection's monitor (a member removed), which this thread may hold while it delivers;</li>
   *   <li>a message never overtakes one queued before it: it runs only while the queue it would join is empty and
   *       nothing is left over, and the messages of one connection come from one thread, one at a time;</li>
   *   <li>the IntakeGate counts only what waits in the queue: a message run here is never there, and what it
   *       hands to the log or the state machine counts in their backlogs before received() returns, when the
   *       transport asks whether it may read on;</li>
   *   <li>send and flush still run one thread at a time, under the protocol lock, and each peer's messages leave in
   *       the order of the calls whatever thread made them (the Transport SPI).</li>
   * </ul>
   * Connection events are rare and always queued.
   */
  private final class Inbound implements Transport.Inbound {
    @Override
    public void received(long from, Message message) {
      if (log.isDebugEnabled()) {
        log.debug("server {} <- {}: {}", id, from, message);
      }
      hops.received(message, HopTrace.Hop.PROPOSAL_IN, HopTrace.Hop.ACK_IN);
      Event e = new Event.Received(from, message);
      ProtocolLoop loop = protocolLoop;
      if (loop != null && loop.tryRunHere(e)) {
        hops.received(message, HopTrace.Hop.PROPOSAL_RUN_HERE, HopTrace.Hop.ACK_RUN_HERE);
      } else {
        put(e);
      }
    }

    @Override
    public void connected(long peer) {
      log.debug("server {}: connected to {}", id, peer);
      put(new Event.PeerConnected(peer));
    }

    @Override
    public void disconnected(long peer) {
      log.debug("server {}: disconnected from {}", id, peer);
      put(new Event.PeerDisconnected(peer));
    }

    @Override
    public boolean hasRoom() {
      return gate.open();
    }

    @Override
    public void whenRoom(Runnable resume) {
      gate.whenOpen(resume);
    }

    private void put(Event e) {
      queue.addReceived(e);
    }
  }

  @Override
  public String toString() {
    NodeStatus s = status;
    return "server " + id + " " + s.role() + " epoch=" + s.epoch() + " last=" + s.lastZxid() + " committed="
        + s.committedZxid();
  }
}
