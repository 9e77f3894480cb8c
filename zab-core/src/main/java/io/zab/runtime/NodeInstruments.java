package io.zab.runtime;

import io.zab.Role;
import io.zab.ZabStatus;
import io.zab.metrics.MetricNames;
import io.zab.metrics.NodeMetrics;
import io.zab.protocol.Action;
import io.zab.protocol.Action.Append;
import io.zab.protocol.Action.Deliver;
import io.zab.protocol.Action.InstallSnapshot;
import io.zab.protocol.Action.RoleChanged;
import io.zab.protocol.Action.Truncate;
import io.zab.wire.Txn;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The meters of one node ({@link MetricNames}) and where the runtime feeds them. The hot path costs a few calls
 * per batch of actions, never per txn, and allocates nothing with a no-op or allocation-free binding: an append
 * records its batch size and notes the time in the {@link CommitClock}, a delivery records one commit latency per
 * batch it completes. {@link #observe} runs on the protocol thread; the fsync timer on the log writer thread.
 */
final class NodeInstruments implements AutoCloseable {
  private final NodeMetrics metrics;
  private final LongSupplier clock;
  private final CommitClock commits = new CommitClock();
  private final NodeMetrics.Timer commitLatency;
  private final NodeMetrics.Timer fsyncLatency;
  private final NodeMetrics.Histogram batchTxns;
  private final NodeMetrics.Histogram batchBytes;
  private final NodeMetrics.Counter appendedTxns;
  private final NodeMetrics.Counter appendedBytes;
  private final NodeMetrics.Counter committedTxns;
  private final NodeMetrics.Counter elections;
  private final NodeMetrics.Timer electionDuration;
  private final NodeMetrics.Counter snapshotsTaken;
  private final NodeMetrics.Counter snapshotSentBytes;
  private final NodeMetrics.Counter snapshotReceivedBytes;
  /** The per-follower gauges, by peer (protocol thread). */
  private final Map<Long, NodeMetrics> peerMeters = new TreeMap<>();
  private Supplier<ZabStatus> status;
  private final HopTrace hops;

  /** @param clock nanoseconds, e.g. {@code System::nanoTime} */
  NodeInstruments(NodeMetrics metrics, LongSupplier clock) {
    this(metrics, clock, HopTrace.disabled());
  }

  /** @param hops the hand-off trace (a measuring aid, usually disabled) */
  NodeInstruments(NodeMetrics metrics, LongSupplier clock, HopTrace hops) {
    this.hops = hops;
    this.metrics = metrics;
    this.clock = clock;
    commitLatency = metrics.timer(MetricNames.COMMIT_LATENCY, "from appending a batch of txns to knowing it committed");
    fsyncLatency = metrics.timer(MetricNames.FSYNC_LATENCY, "one fsync of the log (one per group commit)");
    batchTxns = metrics.histogram(MetricNames.BATCH_TXNS, "txns", "txns per batch appended to the log");
    batchBytes = metrics.histogram(MetricNames.BATCH_BYTES, "bytes", "payload bytes per batch appended to the log");
    appendedTxns = metrics.counter(MetricNames.APPENDED_TXNS, "txns",
        "txns appended to the log (proposed, on the leader)");
    appendedBytes = metrics.counter(MetricNames.APPENDED_BYTES, "bytes", "payload bytes appended to the log");
    committedTxns = metrics.counter(MetricNames.COMMITTED_TXNS, "txns", "txns committed on this server");
    elections = metrics.counter(MetricNames.ELECTIONS, null, "elections that ended with an established role");
    electionDuration = metrics.timer(MetricNames.ELECTION_DURATION, "from losing a role to serving again");
    snapshotsTaken = metrics.counter(MetricNames.SNAPSHOTS_TAKEN, null, "snapshots written of this server's state");
    snapshotSentBytes = metrics.counter(MetricNames.SNAPSHOT_SENT_BYTES, "bytes", "snapshot bytes sent to followers");
    snapshotReceivedBytes = metrics.counter(MetricNames.SNAPSHOT_RECEIVED_BYTES, "bytes",
        "snapshot bytes received from a leader");
  }

  /** The hand-off trace of this node (usually disabled). */
  HopTrace hops() {
    return hops;
  }

  /** Instruments that record nothing (tests of single runtime classes). */
  static NodeInstruments none() {
    return new NodeInstruments(NodeMetrics.NONE, System::nanoTime);
  }

  /**
   * Gauges read when the binding collects: the backlogs, the log held in memory, and from the latest status the
   * role, epoch and, on the leader, each follower's lag and connection (NaN on a server that is not leading).
   *
   * @param peers every member but this server (the configuration in force at the start; see {@link #peersChanged})
   */
  void registerGauges(LongSupplier applyBacklogTxns, LongSupplier applyBacklogBytes, LongSupplier logBacklogBytes,
      LongSupplier heldTxns, LongSupplier heldBytes, Supplier<ZabStatus> status, Collection<Long> peers) {
    this.status = status;
    metrics.gauge(MetricNames.APPLY_BACKLOG_TXNS, "txns", "committed txns waiting for the state machine",
        applyBacklogTxns::getAsLong);
    metrics.gauge(MetricNames.APPLY_BACKLOG_BYTES, "bytes", "memory held by committed txns waiting for the state"
        + " machine", applyBacklogBytes::getAsLong);
    metrics.gauge(MetricNames.LOG_BACKLOG_BYTES, "bytes", "log writes queued and not yet durable",
        logBacklogBytes::getAsLong);
    metrics.gauge(MetricNames.LOG_MEMORY_TXNS, "txns", "txns held in memory for followers",
        heldTxns::getAsLong);
    metrics.gauge(MetricNames.LOG_MEMORY_BYTES, "bytes", "payload bytes of the txns held in memory for followers",
        heldBytes::getAsLong);
    metrics.gauge(MetricNames.ROLE, null, "0 LOOKING, 1 FOLLOWING, 2 LEADING, 3 OBSERVING",
        () -> status.get().role().ordinal());
    metrics.gauge(MetricNames.ESTABLISHED, null, "1 while this server's role serves",
        () -> status.get().established() ? 1 : 0);
    metrics.gauge(MetricNames.EPOCH, null, "the current epoch", () -> status.get().epoch());
    peersChanged(peers);
  }

  /**
   * The servers this one deals with changed (a reconfiguration added or removed members; issue 11): the per-follower
   * gauges of new ones are registered, those of servers gone are removed. Protocol thread.
   *
   * @param peers every server but this one that the transport now connects to
   */
  void peersChanged(Collection<Long> peers) {
    if (status == null) {
      return; // gauges not registered (yet)
    }
    Set<Long> now = new TreeSet<>(peers);
    for (Iterator<Map.Entry<Long, NodeMetrics>> it = peerMeters.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Long, NodeMetrics> e = it.next();
      if (!now.contains(e.getKey())) {
        e.getValue().close();
        it.remove();
      }
    }
    for (long peer : now) {
      if (!peerMeters.containsKey(peer)) {
        NodeMetrics m = metrics.tagged(MetricNames.PEER_TAG, Long.toString(peer));
        m.gauge(MetricNames.FOLLOWER_LAG_TXNS, "txns", "txns of the leader's log the follower has not acknowledged",
            follower(status, peer, ZabStatus.FollowerStatus::lagTxns));
        m.gauge(MetricNames.FOLLOWER_LAG_BYTES, "bytes", "payload bytes of those txns",
            follower(status, peer, ZabStatus.FollowerStatus::lagBytes));
        m.gauge(MetricNames.FOLLOWER_CONNECTED, null, "1 while the leader has a connection to the follower",
            follower(status, peer, f -> f.connected() ? 1 : 0));
        peerMeters.put(peer, m);
      }
    }
  }

  private static DoubleSupplier follower(Supplier<ZabStatus> status, long peer,
      ToDoubleFunction<ZabStatus.FollowerStatus> value) {
    return () -> {
      ZabStatus s = status.get();
      Optional<ZabStatus.FollowerStatus> f = s.role() == Role.LEADING ? s.follower(peer) : Optional.empty();
      return f.isPresent() ? value.applyAsDouble(f.get()) : Double.NaN;
    };
  }

  /** Counts what one action of the core stands for. Protocol thread. */
  void observe(Action a) {
    if (a instanceof Append ap) {
      List<Txn> txns = ap.txns();
      long bytes = 0;
      for (int i = 0; i < txns.size(); i++) {
        bytes += txns.get(i).data().length;
      }
      batchTxns.record(txns.size());
      batchBytes.record(bytes);
      appendedTxns.increment(txns.size());
      appendedBytes.increment(bytes);
      if (!txns.isEmpty()) {
        commits.appended(txns.get(txns.size() - 1).zxid().value(), clock.getAsLong());
      }
    } else if (a instanceof Deliver d && !d.txns().isEmpty()) {
      committedTxns.increment(d.txns().size());
      commits.committed(d.txns().get(d.txns().size() - 1).zxid().value(), clock.getAsLong(), commitLatency);
    } else if (a instanceof InstallSnapshot i) {
      snapshotReceivedBytes.increment(i.chunk().data().length);
      commits.clear();
    } else if (a instanceof Truncate || a instanceof RoleChanged) {
      commits.clear();
    }
  }

  /** The timer of the log's fsyncs (log writer thread). */
  NodeMetrics.Timer fsyncLatency() {
    return fsyncLatency;
  }

  /** An election ended after {@code nanos}. */
  void electionEnded(long nanos) {
    elections.increment(1);
    electionDuration.recordNanos(nanos);
  }

  /** This server wrote a snapshot of its state. */
  void snapshotTaken() {
    snapshotsTaken.increment(1);
  }

  /** {@code bytes} of a snapshot went to a follower. Protocol thread. */
  void snapshotSent(long bytes) {
    snapshotSentBytes.increment(bytes);
  }

  /** Batches appended here and not yet known committed (tests). */
  int batchesAwaitingCommit() {
    return commits.pending();
  }

  /** The node stopped: its meters go away. */
  @Override
  public void close() {
    metrics.close();
  }
}
