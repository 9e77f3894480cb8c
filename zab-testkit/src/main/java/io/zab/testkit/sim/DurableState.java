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
 */
public record DurableState(long acceptedEpoch, long currentEpoch, Zxid snapshotZxid, byte[] snapshot,
    List<Txn> logAfterSnapshot, RepairPoint repairing) {
  public DurableState {
    logAfterSnapshot = List.copyOf(logAfterSnapshot);
  }

  /** A disk that is not repairing. */
  public DurableState(long acceptedEpoch, long currentEpoch, Zxid snapshotZxid, byte[] snapshot,
      List<Txn> logAfterSnapshot) {
    this(acceptedEpoch, currentEpoch, snapshotZxid, snapshot, logAfterSnapshot, null);
  }

  /** The membership the snapshot recorded (null: none). */
  public Membership snapshotMembership() {
    try {
      return SnapshotHeader.read(new ByteArrayInputStream(snapshot));
    } catch (IOException e) {
      throw new UncheckedIOException("the snapshot at " + snapshotZxid + " has no valid header", e);
    }
  }

  /** The state machine's bytes of the snapshot (after its header). */
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
