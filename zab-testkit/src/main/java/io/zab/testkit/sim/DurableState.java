package io.zab.testkit.sim;

import io.zab.Zxid;
import io.zab.protocol.RepairPoint;
import io.zab.wire.Membership;
import io.zab.wire.SnapshotHeader;
import io.zab.wire.Txn;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * What a server's disk holds after a crash: the epochs, the latest snapshot (its content at {@code snapshotZxid}:
 * a {@link SnapshotHeader} with the membership in force there, then the state machine's bytes), the log after it, and
 * the repairing marker (null: none).
 *
 * @param acceptedEpoch the newest epoch accepted in discovery (S6)
 * @param currentEpoch the epoch of the last NEWLEADER accepted (S7)
 * @param snapshotZxid the zxid the latest snapshot was taken at
 * @param snapshot the latest snapshot: its header, then the state machine's bytes
 * @param logAfterSnapshot the logged txns after the snapshot, in order
 * @param repairing the repairing marker (what a damaged log may have lost), or null if it is not repairing
 */
public record DurableState(long acceptedEpoch, long currentEpoch, Zxid snapshotZxid, byte[] snapshot,
    List<Txn> logAfterSnapshot, RepairPoint repairing) {
  /**
   * Copies the log.
   *
   * @param acceptedEpoch the newest epoch accepted in discovery (S6)
   * @param currentEpoch the epoch of the last NEWLEADER accepted (S7)
   * @param snapshotZxid the zxid the latest snapshot was taken at
   * @param snapshot the latest snapshot: its header, then the state machine's bytes
   * @param logAfterSnapshot the logged txns after the snapshot, in order
   * @param repairing the repairing marker (what a damaged log may have lost), or null if it is not repairing
   */
  public DurableState {
    logAfterSnapshot = List.copyOf(logAfterSnapshot);
  }

  /**
   * A disk that is not repairing.
   *
   * @param acceptedEpoch the newest epoch accepted in discovery (S6)
   * @param currentEpoch the epoch of the last NEWLEADER accepted (S7)
   * @param snapshotZxid the zxid the latest snapshot was taken at
   * @param snapshot the latest snapshot: its header, then the state machine's bytes
   * @param logAfterSnapshot the logged txns after the snapshot, in order
   */
  public DurableState(long acceptedEpoch, long currentEpoch, Zxid snapshotZxid, byte[] snapshot,
      List<Txn> logAfterSnapshot) {
    this(acceptedEpoch, currentEpoch, snapshotZxid, snapshot, logAfterSnapshot, null);
  }

  /**
   * The membership the snapshot recorded.
   *
   * @return the membership, or null if none is recorded
   * @throws UncheckedIOException if the snapshot's header is not valid
   */
  public Membership snapshotMembership() {
    try {
      return SnapshotHeader.read(new ByteArrayInputStream(snapshot));
    } catch (IOException e) {
      throw new UncheckedIOException("the snapshot at " + snapshotZxid + " has no valid header", e);
    }
  }

  /**
   * The state machine's bytes of the snapshot (after its header).
   *
   * @return a stream of those bytes
   * @throws UncheckedIOException if the snapshot's header is not valid
   */
  public InputStream snapshotState() {
    ByteArrayInputStream in = new ByteArrayInputStream(snapshot);
    try {
      SnapshotHeader.read(in);
    } catch (IOException e) {
      throw new UncheckedIOException("the snapshot at " + snapshotZxid + " has no valid header", e);
    }
    return in;
  }
}
