package io.zab.protocol;

import io.zab.Zxid;
import io.zab.wire.Message.SnapChunk;
import java.io.ByteArrayOutputStream;
import java.util.function.Consumer;

/**
 * A snapshot received in memory, chunk by chunk ({@link Action.InstallSnapshot}, S7 SNAP): each chunk must continue
 * the transfer under way (same zxid, the next offset) and a chunk at offset 0 starts a new one. Not used by the
 * runtime (it writes chunks to a file); the protocol tests' harness and the testkit's simulator share it, so both
 * check the same order rule. Not thread-safe.
 */
public final class SnapshotAssembly {
  private ByteArrayOutputStream incoming;
  private Zxid incomingZxid;

  /** No transfer under way. */
  public SnapshotAssembly() {}

  /**
   * Takes the next chunk.
   *
   * @param chunk a chunk sent by the leader
   * @param outOfOrder told what is wrong when {@code chunk} does not continue the transfer under way (it is dropped)
   * @return the whole snapshot after its last chunk, else null
   */
  public byte[] accept(SnapChunk chunk, Consumer<String> outOfOrder) {
    if (chunk.offset() == 0) {
      incoming = new ByteArrayOutputStream();
      incomingZxid = chunk.snapshotZxid();
    }
    if (incoming == null || !chunk.snapshotZxid().equals(incomingZxid) || chunk.offset() != incoming.size()) {
      outOfOrder.accept("snapshot chunk " + chunk + " does not continue the transfer ("
          + (incoming == null ? "none started" : incomingZxid + " at offset " + incoming.size()) + ")");
      return null;
    }
    incoming.writeBytes(chunk.data());
    if (!chunk.last()) {
      return null;
    }
    byte[] state = incoming.toByteArray();
    incoming = null;
    return state;
  }

  /** Forgets the transfer under way (abandoned, or lost in a crash). */
  public void discard() {
    incoming = null;
  }
}
