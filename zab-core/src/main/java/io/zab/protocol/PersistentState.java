package io.zab.protocol;

import io.zab.Zxid;
import io.zab.wire.Membership;
import io.zab.wire.Txn;
import java.util.List;
import java.util.Objects;

/**
 * What the runtime recovered from disk when a server (re)starts.
 *
 * @param acceptedEpoch the last epoch proposed by a prospective leader that this server accepted (S6)
 * @param currentEpoch the last epoch whose NEWLEADER this server acknowledged (S7)
 * @param snapshotZxid the zxid of the newest stored snapshot ({@link Zxid#ZERO} if none); the state machine
 *     has been restored to it
 * @param logAfterSnapshot every logged txn with a zxid above {@code snapshotZxid}, in order, all durable
 * @param snapshotMembership the membership the snapshot recorded as in force at its zxid, or null when it does not
 *     record one (no snapshot, or one written before snapshots recorded it): the configured members then
 * @param repairing set while this server repairs a damaged log (its durable marker): it starts without a vote; null
 *     when it is healthy
 */
public record PersistentState(long acceptedEpoch, long currentEpoch, Zxid snapshotZxid, List<Txn> logAfterSnapshot,
    Membership snapshotMembership, RepairPoint repairing) {

  public PersistentState {
    Objects.requireNonNull(snapshotZxid, "snapshotZxid");
    logAfterSnapshot = List.copyOf(logAfterSnapshot);
    if (currentEpoch < 0 || acceptedEpoch < currentEpoch) {
      throw new IllegalArgumentException("need 0 <= currentEpoch <= acceptedEpoch, got currentEpoch="
          + currentEpoch + " acceptedEpoch=" + acceptedEpoch);
    }
  }

  /** Not repairing. */
  public PersistentState(long acceptedEpoch, long currentEpoch, Zxid snapshotZxid, List<Txn> logAfterSnapshot,
      Membership snapshotMembership) {
    this(acceptedEpoch, currentEpoch, snapshotZxid, logAfterSnapshot, snapshotMembership, null);
  }

  /** Without a recorded membership. */
  public PersistentState(long acceptedEpoch, long currentEpoch, Zxid snapshotZxid, List<Txn> logAfterSnapshot) {
    this(acceptedEpoch, currentEpoch, snapshotZxid, logAfterSnapshot, null, null);
  }

  /** This state, repairing {@code point} (null: healthy). */
  public PersistentState withRepair(RepairPoint point) {
    return new PersistentState(acceptedEpoch, currentEpoch, snapshotZxid, logAfterSnapshot, snapshotMembership, point);
  }

  /** A brand-new server: no epochs, no snapshot, empty log. */
  public static PersistentState empty() {
    return new PersistentState(0, 0, Zxid.ZERO, List.of());
  }
}
