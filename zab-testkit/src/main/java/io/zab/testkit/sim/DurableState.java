package io.zab.testkit.sim;

import io.zab.Zxid;
import io.zab.wire.Txn;
import java.util.List;

/**
 * What a server's disk holds after a crash: the epochs, the latest snapshot (the state machine's bytes at
 * {@code snapshotZxid}) and the log after it.
 */
public record DurableState(long acceptedEpoch, long currentEpoch, Zxid snapshotZxid, byte[] snapshot,
    List<Txn> logAfterSnapshot) {
  public DurableState {
    logAfterSnapshot = List.copyOf(logAfterSnapshot);
  }
}
