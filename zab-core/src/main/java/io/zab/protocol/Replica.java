package io.zab.protocol;

import io.zab.Zxid;
import io.zab.protocol.Action.Append;
import io.zab.protocol.Action.Deliver;
import io.zab.protocol.Action.Send;
import io.zab.protocol.Action.Truncate;
import io.zab.wire.Message;
import io.zab.wire.Txn;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The state every role of one server shares: epochs, the in-memory log with its durable, committed and
 * delivered marks, pending client requests, and the action list being built for the current call.
 */
final class Replica {
  /**
   * Txns kept in memory after a snapshot so that lagging followers can still get a DIFF (and at most
   * {@code PeerConfig.logRetentionBytes} payload bytes of them, so that large txns do not pin the heap).
   */
  static final int RETAINED_AFTER_SNAPSHOT = 10_000;

  final PeerConfig config;
  final Configuration configuration;
  /** Peers the transport reports a working connection to. */
  final Set<Long> connected = new TreeSet<>();
  final InMemoryLog log;
  final PendingRequests requests = new PendingRequests();
  long acceptedEpoch;
  long currentEpoch;
  /**
   * The highest epoch a voter was seen to have accepted (not persisted: a liveness hint). A prospective
   * leader proposes above it, so that a voter that accepted an epoch from a leader that never got established
   * can rejoin after one re-election.
   */
  long epochSeen;
  /** Every txn up to here is fsynced on this server. */
  Zxid durable;
  /** Every txn up to here is known committed. */
  Zxid committed;
  /** Every txn up to here was handed to the state machine. */
  Zxid delivered;
  /** The newest stored snapshot (what a SNAP sync streams). */
  Zxid snapshotZxid;
  /** First counter of every epoch; 1 except in tests of counter exhaustion. */
  final long firstCounter;
  private List<Action> out = new ArrayList<>();

  Replica(PeerConfig config, PersistentState state, long firstCounter) {
    this.firstCounter = firstCounter;
    this.config = config;
    this.configuration = Configuration.majority(0, config.voters(), Set.of());
    this.acceptedEpoch = state.acceptedEpoch();
    this.currentEpoch = state.currentEpoch();
    this.snapshotZxid = state.snapshotZxid();
    try {
      this.log = new InMemoryLog(state.snapshotZxid(), state.logAfterSnapshot(), firstCounter);
    } catch (InMemoryLog.LogGapException e) {
      throw new IllegalArgumentException("recovered log of server " + config.self() + " is not gap-free: "
          + e.getMessage(), e);
    }
    this.durable = log.last();
    this.committed = state.snapshotZxid();
    this.delivered = state.snapshotZxid();
  }

  long self() {
    return config.self();
  }

  Timing timing() {
    return config.timing();
  }

  /** Takes the actions built so far and starts a new list. */
  List<Action> drain() {
    List<Action> result = out;
    out = new ArrayList<>();
    return result;
  }

  void emit(Action a) {
    out.add(a);
  }

  void send(long to, Message m) {
    out.add(new Send(to, m));
  }

  /** Appends txns to the in-memory log and asks the runtime to log them. */
  void append(List<Txn> txns) {
    hold(txns);
    out.add(new Append(txns));
  }

  /** Appends txns to the in-memory log only (the caller emits the {@link Append} later). */
  void hold(List<Txn> txns) {
    for (Txn t : txns) {
      log.append(t);
    }
  }

  /** S7 TRUNC: drop everything after {@code to}. */
  void truncate(Zxid to) {
    log.truncateAfter(to);
    durable = Zxid.min(durable, to);
    out.add(new Truncate(to));
  }

  /** The runtime reports the log durable up to {@code z}. */
  void persisted(Zxid z) {
    durable = Zxid.max(durable, Zxid.min(z, log.last()));
  }

  /**
   * Marks everything up to {@code z} committed (never beyond this log), completes the requests that satisfies
   * and delivers the newly committed txns in order. The completions go first: a write's {@code Complete}
   * always precedes the {@code Deliver} of its txn, so the runtime knows who waits for the result of an apply
   * before the apply happens (and keeps no result nobody waits for).
   */
  void commitTo(Zxid z) {
    Zxid target = Zxid.min(z, log.last());
    if (!target.isAfter(committed)) {
      return;
    }
    committed = target;
    requests.completeUpTo(committed, out::add);
    if (committed.isAfter(delivered)) {
      out.add(new Deliver(log.range(delivered, committed)));
      delivered = committed;
    }
  }

  /** A snapshot was taken at {@code z}: older txns may be dropped, keeping enough for DIFF syncs. */
  void snapshotTaken(Zxid z) {
    snapshotZxid = Zxid.max(snapshotZxid, z);
    log.compact(Zxid.min(z, delivered), RETAINED_AFTER_SNAPSHOT, config.logRetentionBytes());
  }

  /** A snapshot received from the leader was installed: state and log now start at {@code z}. */
  void snapshotInstalled(Zxid z) {
    log.resetTo(z);
    snapshotZxid = z;
    durable = z;
    committed = z;
    delivered = z;
  }
}
