package io.zab.runtime;

import io.zab.ZabStatus.SnapshotTransfer;
import io.zab.Zxid;
import io.zab.storage.SnapshotStore;
import io.zab.storage.SnapshotWriter;
import io.zab.wire.Message.SnapChunk;
import java.io.IOException;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Follower side of S7 SNAP: writes the leader's chunks to a new local snapshot. Chunks must arrive in order
 * from offset 0; an interrupted transfer is discarded whole (ZOOKEEPER-3642). Protocol thread only.
 */
final class SnapshotReceiver {
  private final SnapshotStore store;
  private SnapshotWriter writer;
  private Zxid receiving;
  private long expectedOffset;

  SnapshotReceiver(SnapshotStore store) {
    this.store = store;
  }

  /**
   * Stores one chunk.
   *
   * @return the snapshot's zxid once the last chunk made it durable, else null
   * @throws IOException on a write error or a chunk out of order (names the expected and actual offsets)
   */
  Zxid accept(SnapChunk c) throws IOException {
    if (c.offset() == 0) {
      discard();
      receiving = c.snapshotZxid();
      expectedOffset = 0;
      // Snapshots of one zxid hold the same committed state: keep ours rather than write it twice.
      writer = store.list().contains(receiving) ? null : store.begin(receiving);
    }
    if (receiving == null || !receiving.equals(c.snapshotZxid()) || c.offset() != expectedOffset) {
      String expected = receiving == null ? "a first chunk (offset 0)" : "offset " + expectedOffset + " of " + receiving;
      discard();
      throw new IOException("snapshot chunk out of order: expected " + expected + ", got offset " + c.offset()
          + " of " + c.snapshotZxid());
    }
    if (writer != null) {
      writer.output().write(c.data());
    }
    expectedOffset += c.data().length;
    if (!c.last()) {
      return null;
    }
    Zxid zxid = receiving;
    receiving = null;
    if (writer != null) {
      writer.commit();
      writer = null;
    }
    return zxid;
  }

  /** The snapshot being received from {@code leader}, if a transfer is under way. */
  Optional<SnapshotTransfer> transfer(long leader) {
    Zxid z = receiving;
    return z == null ? Optional.empty() : Optional.of(new SnapshotTransfer(leader,
        SnapshotTransfer.Direction.RECEIVING, z, expectedOffset, OptionalLong.empty()));
  }

  /** Throws away a partial transfer, if any. */
  void discard() throws IOException {
    receiving = null;
    if (writer != null) {
      SnapshotWriter w = writer;
      writer = null;
      w.abort();
    }
  }
}
