package io.zab.runtime;

import io.zab.Zxid;
import io.zab.wire.Message.SnapChunk;
import io.zab.wire.MessageCodec;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader side of S7 SNAP: one stored snapshot read as {@link SnapChunk}s for one follower, a chunk at a time, so
 * at most two chunks are in memory however large the snapshot. The open file stays readable even if the
 * snapshot is retired meanwhile. The {@link PeerOutboxes} decide when each chunk is sent.
 */
final class SnapshotSender implements Closeable {
  private static final Logger log = LoggerFactory.getLogger(SnapshotSender.class);
  static final int CHUNK_BYTES = 512 * 1024;

  private final long to;
  private final int chunkBytes;
  private final Zxid zxid;
  private final InputStream in;
  private final long total;
  private long offset;
  private byte[] readAhead;
  private boolean done;

  private SnapshotSender(long to, Zxid zxid, InputStream in, int chunkBytes, long total) {
    this.to = to;
    this.total = total;
    this.chunkBytes = chunkBytes;
    this.zxid = zxid;
    this.in = in;
  }

  /** Opens the snapshot at {@code zxid} for {@code to}; fails if it is missing or its trailer is damaged. */
  static SnapshotSender open(LocalSnapshots snapshots, long to, Zxid zxid) throws IOException {
    return open(snapshots, to, zxid, MessageCodec.DEFAULT_MAX_FRAME_BYTES);
  }

  /** {@link #open(LocalSnapshots, long, Zxid)} with chunks that fit frames of {@code maxFrameBytes}. */
  static SnapshotSender open(LocalSnapshots snapshots, long to, Zxid zxid, int maxFrameBytes) throws IOException {
    long total = snapshots.store().size(zxid);
    log.info("sending snapshot {} ({} bytes) to server {}", zxid, total, to);
    return new SnapshotSender(to, zxid, snapshots.open(zxid), chunkBytes(maxFrameBytes), total);
  }

  /** 512 KiB, or less when a frame cannot carry a chunk that big. */
  static int chunkBytes(int maxFrameBytes) {
    return Math.max(1, Math.min(CHUNK_BYTES, maxFrameBytes - MessageCodec.SNAP_CHUNK_OVERHEAD_BYTES));
  }

  Zxid zxid() {
    return zxid;
  }

  /** The bytes read into chunks so far. */
  long sent() {
    return offset;
  }

  /** The snapshot's size in bytes. */
  long total() {
    return total;
  }

  /**
   * The next chunk, or null once the last was returned. A chunk is marked last only after the store verified
   * the checksum at the end of the file, so a damaged snapshot never reaches a follower whole.
   */
  SnapChunk next() throws IOException {
    if (done) {
      return null;
    }
    byte[] chunk = readAhead != null ? readAhead : in.readNBytes(chunkBytes);
    // Read ahead one chunk to know whether this one is the last; the store checks the checksum at the end.
    readAhead = chunk.length < chunkBytes ? new byte[0] : in.readNBytes(chunkBytes);
    done = readAhead.length == 0;
    SnapChunk c = new SnapChunk(zxid, offset, chunk, done);
    offset += chunk.length;
    if (done) {
      log.info("snapshot {} queued for server {}: {} bytes", zxid, to, offset);
    }
    return c;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
