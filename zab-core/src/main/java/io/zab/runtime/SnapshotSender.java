package io.zab.runtime;

import io.zab.Zxid;
import io.zab.transport.Transport;
import io.zab.wire.Message.SnapChunk;
import java.io.IOException;
import java.io.InputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader side of S7 SNAP: streams a stored snapshot to one follower as {@link SnapChunk}s, in order, holding
 * at most two chunks in memory. Runs on the protocol thread so the chunks precede every later message to
 * that follower (the transport's FIFO does the rest).
 */
final class SnapshotSender {
  private static final Logger log = LoggerFactory.getLogger(SnapshotSender.class);
  static final int CHUNK_BYTES = 512 * 1024;

  private final LocalSnapshots snapshots;
  private final Transport transport;

  SnapshotSender(LocalSnapshots snapshots, Transport transport) {
    this.snapshots = snapshots;
    this.transport = transport;
  }

  /**
   * Sends the snapshot at {@code zxid} to {@code to}. Stops early (returns false) if the connection drops; the
   * core hears of that as a disconnect and the follower discards the partial snapshot.
   */
  boolean send(long to, Zxid zxid) throws IOException {
    log.info("sending snapshot {} ({} bytes) to server {}", zxid, snapshots.store().size(zxid), to);
    try (InputStream in = snapshots.open(zxid)) {
      long offset = 0;
      byte[] chunk = in.readNBytes(CHUNK_BYTES);
      while (true) {
        // Read ahead one chunk to know whether this one is the last; the store checks the checksum at the end.
        byte[] next = chunk.length < CHUNK_BYTES ? new byte[0] : in.readNBytes(CHUNK_BYTES);
        boolean last = next.length == 0;
        if (!transport.send(to, new SnapChunk(zxid, offset, chunk, last))) {
          return false;
        }
        if (last) {
          log.info("snapshot {} queued for server {}: {} bytes", zxid, to, offset + chunk.length);
          return true;
        }
        offset += chunk.length;
        chunk = next;
      }
    }
  }
}
