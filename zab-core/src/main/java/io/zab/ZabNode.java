package io.zab;

import io.zab.metrics.ZabMetrics;
import io.zab.protocol.PeerConfig;
import io.zab.protocol.Timing;
import io.zab.runtime.Monitoring;
import io.zab.runtime.NodeConfig;
import io.zab.runtime.NodeRuntime;
import io.zab.storage.Directories;
import io.zab.storage.TxnLogOptions;
import io.zab.transport.TransportFactory;
import io.zab.wire.MessageCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * One server of a ZAB ensemble, embedded in the application: it takes part in elections, replicates the log
 * and applies committed transactions to the application's {@link StateMachine}.
 *
 * <pre>{@code
 * List<Member> members = List.of(new Member(1, "10.0.0.1", 2881), new Member(2, "10.0.0.2", 2881),
 *     new Member(3, "10.0.0.3", 2881));
 * ZabNode node = ZabNode.builder()
 *     .serverId(1)
 *     .members(members)
 *     .dataDir(Path.of("/var/lib/myservice/zab"))
 *     .transport(NettyTransport.factory(tls))     // or LocalNetwork.create()::transport in tests
 *     .stateMachine(myStateMachine)
 *     .build();
 * node.start();
 * Zxid z = node.submit("set x=1".getBytes(UTF_8)).get(5, SECONDS);  // applied here, durable on a quorum
 * node.sync().get(5, SECONDS);                                       // then read local state: up to date
 * node.close();
 * }</pre>
 *
 * <p>Threads: each node runs a protocol thread, a log writer thread (group commit), an apply thread (the only
 * one calling the state machine), a snapshot writer, a ticker and the transport's threads. Futures returned by
 * {@link #submit} and {@link #sync} complete, and listeners run, on the callback executor
 * ({@link Builder#callbackExecutor}; by default the node's {@code zab-callback-<id>} thread), never on one of
 * the node's own threads: a slow continuation delays later callbacks, not the protocol. Never block on the
 * node's futures inside {@link StateMachine} methods. Every thread is named {@code zab-<job>-<id>} and carries the
 * server id in the slf4j MDC ({@link ZabThreads#MDC_KEY}).
 *
 * <p>Monitoring: {@link #status()} (and {@link #addStatusListener}) for the server's state, {@link Builder#metrics}
 * for meters (see {@code io.zab.metrics}).
 *
 * <p>Durability: a write's future completes only after the write was fsynced on a quorum, committed, and
 * applied on this server. An fsync failure stops the node (it fails every pending future with
 * {@link ClosedException} and never acknowledges again).
 */
public final class ZabNode implements AutoCloseable {
  private final NodeRuntime runtime;
  private final long serverId;

  private ZabNode(NodeConfig config) {
    this.runtime = new NodeRuntime(config);
    this.serverId = config.serverId();
  }

  /**
   * A builder; see the class example.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Recovers from the data directory (latest valid snapshot, then the log after it) and joins the ensemble
   * (S1: starts LOOKING). Call once. Thread-safe.
   *
   * @throws IOException if the data directory cannot be read, or holds damaged data: the message names the
   *     file and byte offset; nothing is changed on disk then
   * @throws IllegalStateException if already started or closed
   */
  public void start() throws IOException {
    runtime.start();
  }

  /**
   * Replicates {@code txn} (S8, S9). May be called on any server: a follower forwards it to the leader.
   * The future completes with the txn's zxid once it is committed (fsynced on a quorum) and applied to this
   * server's state machine; or fails with a {@link ZabException} subclass: {@link NoQuorumException},
   * {@link OverloadedException}, {@link TooLargeException} (not proposed, safe to retry),
   * {@link OutcomeUnknownException} or {@link ClosedException} (may or may not commit). There is no "not the
   * leader" error: every server takes writes (a follower forwards them), so a server that cannot order a write
   * now, because no leader is established or it is still syncing with one, says {@link NoQuorumException}.
   * A future may also never complete while no quorum is reachable (S10): always wait with a timeout.
   *
   * <p>Thread-safe, non-blocking. The array is copied, so the caller may reuse it at once; a caller that builds a
   * fresh array per write can skip that copy with {@link #submitWithoutCopy}.
   *
   * @param txn the transaction's payload, opaque to zab
   * @return completes with the txn's zxid once committed and applied here
   * @throws IllegalStateException if the node was not started
   */
  public CompletableFuture<Zxid> submit(byte[] txn) {
    Objects.requireNonNull(txn, "txn");
    return runtime.submit(txn);
  }

  /**
   * {@link #submit} without the defensive copy: the array itself becomes the txn's bytes here (logged, sent to the
   * followers, kept in memory for a follower that needs catching up, applied), so the caller hands it over and must
   * never change it afterwards. Under load the copy is most of what the submitting thread allocates per write (a write
   * of 1 KiB costs about 1.2 KiB with it and 0.2 KiB without), and that garbage is what sets how often the leader's
   * young collections pause the log and the acks.
   *
   * <pre>{@code
   * byte[] payload = codec.encode(command);                 // a new array for every write
   * node.submitWithoutCopy(payload).thenAccept(zxid -> reply(zxid));
   * // payload now belongs to zab: do not write to it again
   * }</pre>
   *
   * <p>Fails, completes and is thread-safe like {@link #submit}. Changing the array after the call may replicate
   * different bytes to different servers; use {@link #submit} whenever the array is reused or shared.
   *
   * @param txn the transaction's payload, opaque to zab, owned by zab from this call on
   * @return completes with the txn's zxid once committed and applied here
   * @throws IllegalStateException if the node was not started
   */
  public CompletableFuture<Zxid> submitWithoutCopy(byte[] txn) {
    Objects.requireNonNull(txn, "txn");
    return runtime.submitWithoutCopy(txn);
  }

  /**
   * {@link #submit} for a {@link ResultStateMachine}: the future completes with the txn's zxid and the result this
   * server's {@code applyForResult} returned for it, once it is committed and applied here.
   *
   * <pre>{@code
   * ZabNode node = ZabNode.builder()...stateMachine(accounts).build();   // accounts: a ResultStateMachine<Reply>
   * node.<Reply>submitForResult(withdraw(50)).thenAccept(a -> {
   *   if (a.result() instanceof Reply.Refused r) { tellTheClient(r.why()); }   // an application error, as a result
   * });
   * }</pre>
   *
   * <p>{@code R} is the state machine's result type; the compiler cannot check that it matches (a mismatch
   * shows as a {@link ClassCastException} where the result is used). Fails like {@link #submit}, and also with
   * {@link ResultUnavailableException} in the one case where the write committed but this server did not apply
   * it itself (it installed the leader's snapshot containing it): do not retry then; read the state after
   * {@link #sync()}. A write whose outcome is unknown fails with {@link OutcomeUnknownException}, and if the
   * state machine throws while applying it the node stops and the future fails with {@link ClosedException}.
   *
   * <p>Thread-safe, non-blocking. The array is copied. The future completes on the callback executor.
   *
   * @param <R> the state machine's result type
   * @param txn the transaction's payload, opaque to zab
   * @return completes with the zxid and this server's result once committed and applied here
   * @throws IllegalStateException if the node was not started, or its state machine is not a
   *     {@link ResultStateMachine}
   */
  public <R> CompletableFuture<Applied<R>> submitForResult(byte[] txn) {
    Objects.requireNonNull(txn, "txn");
    return runtime.submitForResult(txn);
  }

  /**
   * A read barrier: completes (with the leader's commit point) once this server's state machine has applied
   * every txn committed before the call, so a local read after it sees them. Fails like {@link #submit}.
   * Thread-safe, non-blocking.
   *
   * @return completes with the leader's commit point once it is applied here
   * @throws IllegalStateException if the node was not started
   */
  public CompletableFuture<Zxid> sync() {
    return runtime.sync();
  }

  /**
   * The cluster configuration: voters and observers with their addresses, and its version. It is the newest one
   * committed as far as this server knows (a follower learns of a change a moment after the leader), so a change
   * under way is not in it until it is done. Before {@link #start()}: the configured members. Thread-safe.
   *
   * <pre>{@code
   * ClusterConfiguration c = node.configuration();
   * c.voters().forEach(m -> System.out.println(m.id() + " at " + m.host() + ":" + m.port()));
   * }</pre>
   *
   * @return the configuration in force as far as this server knows
   */
  public ClusterConfiguration configuration() {
    return runtime.configuration();
  }

  /**
   * Changes the cluster configuration to {@code target}: adds or removes voters and observers, changes members'
   * addresses, in any combination. {@code target}'s version must be the version of the configuration it was
   * derived from ({@link ClusterConfiguration#withVoter}, {@link ClusterConfiguration#withObserver} and
   * {@link ClusterConfiguration#without} keep it): the change is a compare-and-set on it. May be called on any
   * server (a follower forwards it). New voters must run already (started with the current voters as
   * {@code members} and themselves among the {@code observers}, or as observers of the configuration): each must
   * catch up with the leader within {@code catchUpTimeout} before it counts in quorums. A change of the voter set
   * goes through a joint configuration (a quorum of the old voters and of the new); a removed leader hands
   * leadership over once the change is committed (docs/protocol.md, membership).
   *
   * <p>The future completes with the configuration in force once the change is committed and applied here (the
   * change's, unless a later one was committed meanwhile), or fails with {@link StaleConfigurationException} (the
   * configuration changed since {@code target}'s version), {@link ChangeInProgressException} (another change or a
   * leadership transfer is under way), {@link CatchUpTimeoutException}, {@link NoQuorumException},
   * {@link OverloadedException} (nothing was changed), {@link OutcomeUnknownException} (the leader was lost after
   * the change began: it may still complete) or {@link ClosedException}.
   *
   * <pre>{@code
   * ClusterConfiguration now = node.configuration();
   * node.reconfigure(now.withVoter(new Member(4, "10.0.0.4", 2881)), Duration.ofMinutes(5))  // grow 3 -> 4
   *     .get(6, TimeUnit.MINUTES);
   * }</pre>
   *
   * <p>Thread-safe, non-blocking.
   *
   * @param target the configuration wanted, derived from one read with {@link #configuration()}
   * @param catchUpTimeout how long new voters may take to catch up with the leader
   * @return completes with the configuration in force once the change is committed here
   * @throws IllegalStateException if the node was not started
   */
  public CompletableFuture<ClusterConfiguration> reconfigure(ClusterConfiguration target, Duration catchUpTimeout) {
    Objects.requireNonNull(target, "target");
    return runtime.reconfigure(target, requirePositive(catchUpTimeout, "catchUpTimeout"));
  }

  /**
   * {@link #reconfigure(ClusterConfiguration, Duration)} with new voters given a minute to catch up.
   *
   * @param target the configuration wanted, derived from one read with {@link #configuration()}
   * @return completes with the configuration in force once the change is committed here
   */
  public CompletableFuture<ClusterConfiguration> reconfigure(ClusterConfiguration target) {
    return reconfigure(target, DEFAULT_CATCH_UP_TIMEOUT);
  }

  /**
   * Moves leadership to voter {@code serverId}, for example before maintenance of the leader's machine: the leader
   * stops proposing (writes submitted on it meanwhile wait and then go to the new leader; writes forwarded to it are
   * refused with {@link NoQuorumException}, not proposed), brings the target up to date, and hands over; the
   * target wins the election that follows at once. May be called on any server (a follower forwards it).
   *
   * <p>The future completes once this server follows (or is) the target. It fails with
   * {@link LeadershipTransferException} if the target is not a voter, not reachable, or not up to date within
   * {@code timeout} (the old leader then leads on: {@code notApplied()}), or if the election made another server
   * leader ({@code notApplied()} false); with {@link ChangeInProgressException} during a reconfiguration or another
   * transfer; with {@link NoQuorumException} while there is no leader.
   *
   * <pre>{@code
   * node.transferLeadership(2, Duration.ofSeconds(10)).get(15, TimeUnit.SECONDS);   // then stop server 1
   * }</pre>
   *
   * <p>Thread-safe, non-blocking.
   *
   * @param serverId the voter to lead
   * @param timeout how long the target may take to catch up before the transfer fails
   * @return completes once this server follows (or is) the target
   * @throws IllegalStateException if the node was not started
   */
  public CompletableFuture<Void> transferLeadership(long serverId, Duration timeout) {
    return runtime.transferLeadership(serverId, requirePositive(timeout, "timeout"));
  }

  /**
   * {@link #transferLeadership(long, Duration)} with a bound of 10 seconds.
   *
   * @param serverId the voter to lead
   * @return completes once this server follows (or is) the target
   */
  public CompletableFuture<Void> transferLeadership(long serverId) {
    return transferLeadership(serverId, DEFAULT_TRANSFER_TIMEOUT);
  }

  /** How long {@link #reconfigure(ClusterConfiguration)} lets new voters catch up: one minute. */
  public static final Duration DEFAULT_CATCH_UP_TIMEOUT = Duration.ofMinutes(1);
  /** How long {@link #transferLeadership(long)} lets the target catch up: ten seconds. */
  public static final Duration DEFAULT_TRANSFER_TIMEOUT = Duration.ofSeconds(10);

  private static Duration requirePositive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + d);
    }
    return d;
  }

  /**
   * This server's id. Thread-safe.
   *
   * @return the id given to the builder
   */
  public long serverId() {
    return serverId;
  }

  /**
   * The current role (S1); LOOKING before start, after close and after a fatal error. Thread-safe.
   *
   * @return the role now
   */
  public Role role() {
    return runtime.role();
  }

  /**
   * The leader this server follows or is; empty while LOOKING (as in {@link ZabListener.RoleChange}). Thread-safe.
   *
   * @return the leader's id, or empty
   */
  public OptionalLong leader() {
    return runtime.leader();
  }

  /**
   * The current epoch (the last one whose leader this server synced with). Thread-safe.
   *
   * @return the epoch
   */
  public long epoch() {
    return runtime.epoch();
  }

  /**
   * The last zxid in this server's log (possibly not yet committed). Thread-safe.
   *
   * @return the last logged zxid
   */
  public Zxid lastZxid() {
    return runtime.lastZxid();
  }

  /**
   * The highest zxid this server knows to be committed. Thread-safe.
   *
   * @return the commit point known here
   */
  public Zxid committedZxid() {
    return runtime.committedZxid();
  }

  /**
   * The last zxid applied to this server's state machine. Thread-safe.
   *
   * @return the last applied zxid
   */
  public Zxid appliedZxid() {
    return runtime.appliedZxid();
  }

  /**
   * Completes once this node has stopped for good and every one of its threads has ended: normally after
   * {@link #close()} (also when {@link #start()} failed), or exceptionally with a {@link ClosedException}
   * whose cause is the fatal error that stopped it on its own (an fsync failure, the state machine threw, the
   * protocol failed). A program that runs one node can exit on it, so that its supervisor restarts it:
   *
   * <pre>{@code
   * node.stopped().whenComplete((ok, fatal) -> { if (fatal != null) System.exit(70); });
   * }</pre>
   *
   * <p>Callbacks run on the thread that finished the stop (one of the caller of {@code close()} or a
   * {@code zab-*-stop} thread): keep them short. Each call returns a new future. Thread-safe.
   *
   * @return completes once the node has stopped
   */
  public CompletableFuture<Void> stopped() {
    return runtime.stopped();
  }

  /**
   * This server's state in one immutable snapshot: role, epoch, leader, last/committed/applied zxid, apply and log
   * backlogs, snapshot transfers, and on the leader every follower's progress (acked zxid, lag, connection, flow
   * control). The protocol thread builds it between batches of events at most one tick ({@link Builder#tick})
   * apart, and at once on a change of role, leader, epoch or establishment; this returns the latest, so it may be
   * up to one tick behind {@link #role()}, {@link #lastZxid()} and the other single values. Before
   * {@link #start()} and after {@link #close()} it says LOOKING. Thread-safe, non-blocking.
   *
   * <pre>{@code
   * ZabStatus s = node.status();
   * log.info("{} in epoch {}, committed {}, {} txns waiting to be applied", s.role(), s.epoch(), s.committedZxid(),
   *     s.applyBacklogTxns());
   * }</pre>
   *
   * @return the latest status
   */
  public ZabStatus status() {
    return runtime.status();
  }

  /**
   * Registers a listener that gets {@link #status()} every {@link Builder#statusPeriod}; see
   * {@link StatusListener} for its thread. Thread-safe.
   *
   * @param listener called on the callback executor every status period
   */
  public void addStatusListener(StatusListener listener) {
    runtime.addStatusListener(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Registers a listener for role changes, elections and configuration changes; see {@link ZabListener} for its
   * thread. Thread-safe.
   *
   * @param listener called on the callback executor at every role change
   */
  public void addListener(ZabListener listener) {
    runtime.addListener(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Stops the node: protocol first, then the log (drained, fsynced, closed), then the apply thread (committed
   * txns already delivered are applied), then the transport. Pending futures fail with
   * {@link ClosedException}. Idempotent, thread-safe; blocks until every thread of the node has stopped, also
   * when another close (or the stop after a fatal error) is under way, and then releases the data directory,
   * so a new node may start on it right away. Called from one of the node's own threads (a listener, the state
   * machine, a future's callback) it cannot wait for that thread and returns once the stop has begun.
   */
  @Override
  public void close() {
    runtime.close();
  }

  @Override
  public String toString() {
    return runtime.toString();
  }

  /**
   * Configures a {@link ZabNode}. Not thread-safe; {@link #build()} validates everything and says what is wrong.
   *
   * <pre>{@code
   * ZabNode node = ZabNode.builder().serverId(2).members(members).dataDir(dir)
   *     .transport(factory).stateMachine(sm)
   *     .tick(Duration.ofMillis(50)).timeouts(Timeouts.defaults().withSyncLimit(Duration.ofSeconds(5)))
   *     .snapshotEveryTxns(10_000).maxTxnBytes(1 << 20).maxOutstanding(10_000)
   *     .build();
   * }</pre>
   */
  public static final class Builder {
    /**
     * Default of {@link #maxApplyBacklogBytes}: 64 MiB (issue 12: sized for a small service; at full load the
     * backlogs peaked at 3 to 6 MiB, and three servers in one JVM must fit 512 MiB in all).
     */
    public static final long DEFAULT_MAX_APPLY_BACKLOG_BYTES = 64L << 20;
    /** Default of {@link #maxLogBacklogBytes}: 64 MiB (half a second of writes to a disk doing 128 MiB/s). */
    public static final long DEFAULT_MAX_LOG_BACKLOG_BYTES = 64L << 20;
    /**
     * Default of {@link #logRecycling}: on (issue 12: the log's fsyncs then flush data only, with no zeros written
     * first; a zab from before segment format 4 cannot read such a log).
     */
    public static final boolean DEFAULT_LOG_RECYCLING = true;

    private long serverId;
    private List<Member> members;
    private List<Member> observers = List.of();
    private Path dataDir;
    private TransportFactory transport;
    private StateMachine stateMachine;
    private Duration tick = Duration.ofMillis(50);
    private Timeouts timeouts = Timeouts.defaults();
    private int snapshotEveryTxns = 10_000;
    private int maxTxnBytes = 1 << 20;
    private int maxOutstanding = 10_000;
    private int maxBatchTxns = 1_000;
    private int maxFrameBytes = MessageCodec.DEFAULT_MAX_FRAME_BYTES;
    private long maxInFlightBytes = PeerConfig.DEFAULT_MAX_IN_FLIGHT_BYTES;
    private long logSegmentBytes = TxnLogOptions.DEFAULT_SEGMENT_BYTES;
    private boolean logPreallocation = TxnLogOptions.defaults().preallocate();
    private boolean logRecycling = DEFAULT_LOG_RECYCLING;
    private FileSyncer syncer = FileSyncer.SYSTEM;
    private long maxApplyBacklogBytes = DEFAULT_MAX_APPLY_BACKLOG_BYTES;
    private long maxLogBacklogBytes = DEFAULT_MAX_LOG_BACKLOG_BYTES;
    private Executor callbackExecutor;
    private Monitoring monitoring = Monitoring.DEFAULTS;

    private Builder() {}

    /**
     * This server's id (SID, S2); must be one of the members or observers. Required.
     *
     * @param id positive
     * @return this builder
     */
    public Builder serverId(long id) {
      this.serverId = id;
      return this;
    }

    /**
     * Every voting server of the ensemble; the same list on every server of a new ensemble. Required.
     *
     * <p>This is the initial configuration. Once the configuration was changed with {@link ZabNode#reconfigure}, a
     * server's log (or snapshot) holds the configuration in force and it takes precedence at every restart: the
     * list given here then only serves to reach the ensemble and to bind this server's own address. To add a server
     * to a running ensemble, start it with the current voters here and itself among the {@link #observers}, then
     * call {@code reconfigure} on any member (docs/operations.md, "Replace a failed server").
     *
     * @param members the voting servers
     * @return this builder
     */
    public Builder members(List<Member> members) {
      this.members = members;
      return this;
    }

    /**
     * Non-voting members of the initial configuration: they receive every committed txn, serve local reads and
     * forward writes, but never count in a quorum (Role {@link Role#OBSERVING}). Default none.
     *
     * @param observers the non-voting servers, possibly this one
     * @return this builder
     */
    public Builder observers(List<Member> observers) {
      this.observers = observers;
      return this;
    }

    /**
     * Where this server keeps its log, epochs and snapshots; created if missing. Required.
     *
     * @param dir a directory of this server only
     * @return this builder
     */
    public Builder dataDir(Path dir) {
      this.dataDir = dir;
      return this;
    }

    /**
     * How servers reach each other. Required.
     *
     * @param factory makes this server's transport
     * @return this builder
     */
    public Builder transport(TransportFactory factory) {
      this.transport = factory;
      return this;
    }

    /**
     * The application state the log drives. Required.
     *
     * @param sm a StateMachine, or a ResultStateMachine for submitForResult
     * @return this builder
     */
    public Builder stateMachine(StateMachine sm) {
      this.stateMachine = sm;
      return this;
    }

    /**
     * Length of one tick of the protocol's clock: the node checks its {@link #timeouts} and rebuilds its
     * {@link ZabNode#status()} once per tick. Whole milliseconds, at least 1 ms. Default 50 ms.
     *
     * @param tick the period of the protocol's clock
     * @return this builder
     */
    public Builder tick(Duration tick) {
      this.tick = Objects.requireNonNull(tick, "tick");
      return this;
    }

    /**
     * Election, sync and heartbeat timeouts, each rounded up to whole ticks. Default {@link Timeouts#defaults()}.
     *
     * @param timeouts the protocol's timeouts; the same on every server
     * @return this builder
     */
    public Builder timeouts(Timeouts timeouts) {
      this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
      return this;
    }

    /**
     * Take a snapshot after this many applied txns (log segments it covers are then dropped). Default 10,000.
     *
     * @param n at least 1
     * @return this builder
     */
    public Builder snapshotEveryTxns(int n) {
      this.snapshotEveryTxns = n;
      return this;
    }

    /**
     * Largest payload accepted by {@link ZabNode#submit}; must be equal on all servers. Default 1 MiB.
     *
     * @param bytes 1 to 2^30
     * @return this builder
     */
    public Builder maxTxnBytes(int bytes) {
      this.maxTxnBytes = bytes;
      return this;
    }

    /**
     * Most requests in flight (on this server, and proposals on the leader) before OVERLOADED. Default 10,000.
     *
     * @param n at least 1
     * @return this builder
     */
    public Builder maxOutstanding(int n) {
      this.maxOutstanding = n;
      return this;
    }

    /**
     * Most txns the leader packs into one proposal. Default 1,000.
     *
     * @param n at least 1
     * @return this builder
     */
    public Builder maxBatchTxns(int n) {
      this.maxBatchTxns = n;
      return this;
    }

    /**
     * The largest message the transport carries; must not exceed the transport's own cap (with Netty,
     * {@code NettyConfig.maxFrameBytes}, 16 MiB by default; a smaller transport cap is used when the node starts).
     * Every message is cut to fit it, and one txn of {@link #maxTxnBytes} plus its encoding must fit it. Default
     * 16 MiB.
     *
     * @param bytes at least 64
     * @return this builder
     */
    public Builder maxFrameBytes(int bytes) {
      this.maxFrameBytes = bytes;
      return this;
    }

    /**
     * Flow control: the most bytes of proposals the leader sends one follower before that follower acknowledges
     * them (a slower follower gets no more until it does, the others go on), and the most bytes of writes a follower
     * forwards to its leader without a reply yet (more are refused with {@link OverloadedException} at once).
     * Keep the larger of it and one frame, plus the transport's write-buffer high mark and one snapshot chunk, well
     * below the transport's per-connection bound (with Netty {@code maxPendingBytes}, 36 MiB by default; see
     * docs/operations.md). Default 8 MiB.
     *
     * @param bytes at least 1
     * @return this builder
     */
    public Builder maxInFlightBytes(long bytes) {
      this.maxInFlightBytes = bytes;
      return this;
    }

    /**
     * Size at which the log rolls to a new segment file; compaction drops whole segments. Default 64 MiB.
     *
     * @param bytes at least 1024
     * @return this builder
     */
    public Builder logSegmentBytes(long bytes) {
      this.logSegmentBytes = bytes;
      return this;
    }

    /**
     * Whether log segments after the first are preallocated: written with zeros to {@code logSegmentBytes} in the
     * background before the log rolls to them, so that the fsync of a commit flushes data blocks only and does not
     * wait for the file system's journal. It costs writing every log byte twice (the zeros, then the record); on a
     * disk whose bandwidth the log already uses up that can cost throughput (docs/benchmarks.md, issue 12). Default
     * off.
     *
     * @param on whether to preallocate
     * @return this builder
     */
    public Builder logPreallocation(boolean on) {
      this.logPreallocation = on;
      return this;
    }

    /**
     * Whether log segments that snapshot compaction no longer needs are recycled: up to two are kept (renamed) and
     * the log later rolls into one of them, overwriting it from the start, instead of creating a new file. Its
     * blocks are allocated and written already, so the fsync of a commit flushes data blocks only, as with {@link
     * #logPreallocation}, without writing zeros first. Recycled segments are written in segment format 4, which a
     * zab from before it refuses to open. When no recycled file is at hand a new segment is preallocated (if that is
     * on) or grows by appends. Default on: on a disk shared by the ensemble it cut the p99.9 at 256 writes in flight
     * from about 60 ms to 10-16 ms and raised throughput (docs/benchmarks.md, issue 12); turn it off only to keep the
     * log readable by a zab from before segment format 4, or to give compacted segments' disk space back at once.
     *
     * <pre>{@code
     * ZabNode.builder().serverId(1).dataDir(dir).logRecycling(false) // ...
     * }</pre>
     *
     * @param on whether to recycle
     * @return this builder
     */
    public Builder logRecycling(boolean on) {
      this.logRecycling = on;
      return this;
    }

    /**
     * Memory bound for committed txns waiting for this server's state machine (payload plus 64 bytes per txn).
     * Past it this server refuses new submits ({@link OverloadedException}) and stops reading from the network
     * until the state machine catches up, instead of running out of memory; its protocol thread never waits. A
     * pause longer than the sync limit makes a follower drop out and resync, or a leader lose its quorum.
     * Pauses are logged (WARN, at most every 10 s). Default 64 MiB.
     *
     * @param bytes at least 1
     * @return this builder
     */
    public Builder maxApplyBacklogBytes(long bytes) {
      this.maxApplyBacklogBytes = bytes;
      return this;
    }

    /**
     * Memory bound for log writes this server has queued and its disk has not yet made durable (payload plus 64
     * bytes per txn). A slow disk is fine: each fsync covers everything queued, and a leader commits with its
     * followers' acks. Past the bound (a disk far behind, or stuck) this server refuses new submits
     * ({@link OverloadedException}) and stops reading from the network until the disk catches up; its protocol
     * thread never waits. At least {@code maxTxnBytes}. Default 64 MiB.
     *
     * @param bytes at least maxTxnBytes
     * @return this builder
     */
    public Builder maxLogBacklogBytes(long bytes) {
      this.maxLogBacklogBytes = bytes;
      return this;
    }

    /**
     * Where the futures of {@link ZabNode#submit} and {@link ZabNode#sync} complete and {@link ZabListener}s
     * run, so where continuations attached before completion ({@code thenApply}, {@code whenComplete}, ...)
     * run. The node hands tasks over one at a time, in order, even to a multi-threaded executor; it never
     * shuts the executor down. Default: one thread of the node, {@code zab-callback-<id>}. Either way
     * continuations and listeners never run on the node's protocol, log or apply thread or on a transport
     * thread: one that blocks delays later callbacks only.
     *
     * <pre>{@code
     * ExecutorService callbacks = Executors.newFixedThreadPool(4);
     * ZabNode node = ZabNode.builder()...callbackExecutor(callbacks).build();
     * }</pre>
     *
     * @param executor runs the node's callbacks
     * @return this builder
     */
    public Builder callbackExecutor(Executor executor) {
      this.callbackExecutor = Objects.requireNonNull(executor, "callbackExecutor");
      return this;
    }

    /**
     * How often {@link StatusListener}s get the node's status (rounded up to whole ticks). Default 1 s.
     *
     * <pre>{@code
     * ZabNode node = ZabNode.builder()...statusPeriod(Duration.ofSeconds(10)).build();
     * node.addStatusListener(s -> log.info("status: {}", s));
     * }</pre>
     *
     * @param period at least 1 ms
     * @return this builder
     */
    public Builder statusPeriod(Duration period) {
      this.monitoring = new Monitoring(Objects.requireNonNull(period, "statusPeriod"), monitoring.metrics());
      return this;
    }

    /**
     * Where the node reports its meters (commit and fsync latency, batch sizes, throughput, backlogs, elections,
     * snapshot and transport traffic; see {@link io.zab.metrics.MetricNames}). Default {@link ZabMetrics#none()}.
     *
     * <pre>{@code
     * ZabNode node = ZabNode.builder()...metrics(MicrometerZabMetrics.of(meterRegistry)).build();
     * }</pre>
     *
     * @param metrics the binding of the metrics SPI
     * @return this builder
     */
    public Builder metrics(ZabMetrics metrics) {
      this.monitoring = new Monitoring(monitoring.statusPeriod(), Objects.requireNonNull(metrics, "metrics"));
      return this;
    }

    /**
     * The fsync calls of the node's storage; tests use it to count fsyncs or inject disk failures (see
     * {@link FileSyncer}). Default {@link FileSyncer#SYSTEM}, the operating system's.
     *
     * @param syncer the fsync hook
     * @return this builder
     */
    public Builder fileSyncer(FileSyncer syncer) {
      this.syncer = syncer;
      return this;
    }

    /**
     * Validates the configuration and builds the node (not started yet).
     *
     * @return the node, not started
     * @throws IllegalArgumentException naming the setting that is missing or wrong
     */
    public ZabNode build() {
      if (serverId <= 0) {
        throw new IllegalArgumentException("serverId must be set to a positive id, got " + serverId);
      }
      if (members == null || members.isEmpty()) {
        throw new IllegalArgumentException("members must list every server of the ensemble (none given)");
      }
      require(observers != null, "observers must not be null (an empty list: none)");
      Set<Long> ids = new HashSet<>();
      for (Member m : members) {
        if (!ids.add(m.id())) {
          throw new IllegalArgumentException("members lists server id " + m.id() + " twice: " + members);
        }
      }
      for (Member m : observers) {
        if (!ids.add(m.id())) {
          throw new IllegalArgumentException("server id " + m.id() + " is listed twice (members " + members
              + ", observers " + observers + ")");
        }
      }
      if (!ids.contains(serverId)) {
        throw new IllegalArgumentException("serverId " + serverId + " is not among the members " + members
            + (observers.isEmpty() ? "" : " nor the observers " + observers));
      }
      require(transport != null, "transport must be set (e.g. LocalNetwork.create()::transport)");
      require(stateMachine != null, "stateMachine must be set");
      require(syncer != null, "fileSyncer must not be null");
      require(tick.compareTo(Duration.ofMillis(1)) >= 0 && tick.toNanos() % 1_000_000 == 0,
          "tick must be whole milliseconds, at least 1 ms, got " + tick);
      long tickMillis = tick.toMillis();
      Timing timing = timeouts.inTicks(tick);
      require(snapshotEveryTxns >= 1, "snapshotEveryTxns must be >= 1, got " + snapshotEveryTxns);
      require(maxTxnBytes >= 1 && maxTxnBytes <= (1 << 30), "maxTxnBytes must be in [1, 2^30], got " + maxTxnBytes);
      require(maxOutstanding >= 1, "maxOutstanding must be >= 1, got " + maxOutstanding);
      require(maxBatchTxns >= 1, "maxBatchTxns must be >= 1, got " + maxBatchTxns);
      require(maxFrameBytes >= 64, "maxFrameBytes must be >= 64, got " + maxFrameBytes);
      require(maxInFlightBytes >= 1, "maxInFlightBytes must be >= 1, got " + maxInFlightBytes);
      PeerConfig.requireTxnFitsFrame(maxTxnBytes, maxFrameBytes);
      require(maxApplyBacklogBytes >= 1, "maxApplyBacklogBytes must be >= 1, got " + maxApplyBacklogBytes);
      require(maxLogBacklogBytes >= maxTxnBytes, "maxLogBacklogBytes must be >= maxTxnBytes (" + maxTxnBytes
          + "), got " + maxLogBacklogBytes);
      require(logSegmentBytes >= 1024, "logSegmentBytes must be >= 1024, got " + logSegmentBytes);
      require(monitoring.statusPeriod().compareTo(Duration.ofMillis(1)) >= 0,
          "statusPeriod must be at least 1 ms, got " + monitoring.statusPeriod());
      checkDataDir();
      return new ZabNode(new NodeConfig(serverId, members, observers, dataDir, transport, stateMachine, tickMillis,
          timing,
          snapshotEveryTxns, maxTxnBytes, maxOutstanding, maxBatchTxns, maxFrameBytes, maxInFlightBytes,
          logSegmentBytes, logPreallocation, logRecycling, syncer, maxApplyBacklogBytes, maxLogBacklogBytes, callbackExecutor, monitoring));
    }

    private void checkDataDir() {
      require(dataDir != null, "dataDir must be set");
      try {
        Directories.createDurably(dataDir, syncer);
      } catch (IOException e) {
        throw new IllegalArgumentException("dataDir " + dataDir + " cannot be created: " + e, e);
      }
      require(Files.isDirectory(dataDir), "dataDir " + dataDir + " is not a directory");
      require(Files.isWritable(dataDir), "dataDir " + dataDir + " is not writable by this process");
    }

    private static void require(boolean ok, String message) {
      if (!ok) {
        throw new IllegalArgumentException(message);
      }
    }
  }
}
