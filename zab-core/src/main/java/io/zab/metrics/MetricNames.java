package io.zab.metrics;

/**
 * The names of the meters a node registers (see docs/operations.md, "Monitoring", for what to alert on). A binding
 * typically tags every one with the server id; per-follower meters also carry the tag {@link #PEER_TAG}.
 *
 * <pre>{@code
 * // Prometheus, through zab-metrics-micrometer: zab_commit_latency_seconds{server="1",quantile="0.99"}
 * Timer commit = registry.get(MetricNames.COMMIT_LATENCY).tag("server", "1").timer();
 * }</pre>
 */
public final class MetricNames {
  private MetricNames() {}

  /** Tag of the per-follower meters: the follower's server id. */
  public static final String PEER_TAG = "peer";

  // ---- replication (runtime, protocol and log threads) ----

  /**
   * Timer: from a batch of txns being appended on this server to its commit being known here (on the leader:
   * proposal to quorum-durable; on a follower: receipt of the proposal to the leader's commit). One record per
   * batch.
   */
  public static final String COMMIT_LATENCY = "zab.commit.latency";
  /** Timer: one fsync of the log (group commit: one per batch of appends). */
  public static final String FSYNC_LATENCY = "zab.log.fsync.latency";
  /** Histogram, txns: transactions per batch appended to the log (on the leader: per proposal). */
  public static final String BATCH_TXNS = "zab.append.batch.txns";
  /** Histogram, bytes: payload bytes per batch appended to the log. */
  public static final String BATCH_BYTES = "zab.append.batch.bytes";
  /** Counter, txns: transactions appended to the log (on the leader: proposed); its rate is proposals per second. */
  public static final String APPENDED_TXNS = "zab.appended";
  /** Counter, bytes: payload bytes appended to the log; its rate is proposal bytes per second. */
  public static final String APPENDED_BYTES = "zab.appended.bytes";
  /** Counter, txns: transactions committed on this server (handed to the apply thread). */
  public static final String COMMITTED_TXNS = "zab.committed";

  // ---- backlogs (gauges) ----

  /** Gauge, txns: committed transactions waiting for the state machine. */
  public static final String APPLY_BACKLOG_TXNS = "zab.apply.backlog";
  /** Gauge, bytes: memory held by them (payload plus 64 bytes each); bounded by maxApplyBacklogBytes. */
  public static final String APPLY_BACKLOG_BYTES = "zab.apply.backlog.bytes";
  /** Gauge, bytes: log writes queued and not yet durable (payload plus 64 bytes each); bounded by maxLogBacklogBytes. */
  public static final String LOG_BACKLOG_BYTES = "zab.log.backlog.bytes";
  /**
   * Gauge, txns: transactions held in memory for followers (every one after the newest snapshot, plus the retained
   * ones before it).
   */
  public static final String LOG_MEMORY_TXNS = "zab.log.memory";
  /**
   * Gauge, bytes: their payload bytes; bounded by a snapshot every {@code snapshotEveryTxns} txns or 64 MiB, plus
   * {@code logRetentionBytes} kept after it.
   */
  public static final String LOG_MEMORY_BYTES = "zab.log.memory.bytes";

  // ---- role and elections ----

  /** Gauge: this server's role, 0 LOOKING, 1 FOLLOWING, 2 LEADING, 3 OBSERVING (the ordinal of {@code io.zab.Role}). */
  public static final String ROLE = "zab.role";
  /** Gauge: 1 while this server's role is established (serving), else 0. */
  public static final String ESTABLISHED = "zab.established";
  /** Gauge: this server's current epoch. */
  public static final String EPOCH = "zab.epoch";
  /** Counter: elections this server took part in that ended with an established role. */
  public static final String ELECTIONS = "zab.elections";
  /** Timer: how long each of those elections took, from losing (or never having) a role to serving again. */
  public static final String ELECTION_DURATION = "zab.election.duration";

  // ---- followers, on the leader (tag peer); NaN on a server that is not leading ----

  /** Gauge, txns: how many transactions of the leader's log a follower has not acknowledged. */
  public static final String FOLLOWER_LAG_TXNS = "zab.follower.lag";
  /** Gauge, bytes: the payload bytes of those transactions. */
  public static final String FOLLOWER_LAG_BYTES = "zab.follower.lag.bytes";
  /** Gauge: 1 while the leader has a connection to the follower, else 0. */
  public static final String FOLLOWER_CONNECTED = "zab.follower.connected";

  // ---- snapshots ----

  /** Counter: snapshots this server wrote of its own state. */
  public static final String SNAPSHOTS_TAKEN = "zab.snapshots.taken";
  /** Counter, bytes: snapshot bytes sent to followers (S7 SNAP, or a catch-up by snapshot). */
  public static final String SNAPSHOT_SENT_BYTES = "zab.snapshot.sent.bytes";
  /** Counter, bytes: snapshot bytes received from a leader. */
  public static final String SNAPSHOT_RECEIVED_BYTES = "zab.snapshot.received.bytes";

  // ---- transport (zab-transport-netty) ----

  /** Counter, bytes: frame bytes sent to peers (length prefix and body, before TLS). */
  public static final String TRANSPORT_SENT_BYTES = "zab.transport.sent.bytes";
  /** Counter, bytes: frame bytes received from peers (length prefix and body, after TLS). */
  public static final String TRANSPORT_RECEIVED_BYTES = "zab.transport.received.bytes";
  /** Counter: messages received from authenticated peers. */
  public static final String TRANSPORT_RECEIVED_MESSAGES = "zab.transport.received.messages";
  /** Counter: outgoing connection attempts after a failed attempt or a lost connection. */
  public static final String TRANSPORT_RECONNECTS = "zab.transport.reconnects";
  /** Counter: connections in use to a peer that ended. */
  public static final String TRANSPORT_CONNECTIONS_LOST = "zab.transport.connections.lost";
  /** Counter: connections closed for bad input, a failed handshake, a timeout or an I/O error. */
  public static final String TRANSPORT_CONNECTIONS_REJECTED = "zab.transport.connections.rejected";
  /** Counter: connections closed by an error that is no recognised kind of bad input (a bug: should stay 0). */
  public static final String TRANSPORT_UNEXPECTED_ERRORS = "zab.transport.errors.unexpected";
}
