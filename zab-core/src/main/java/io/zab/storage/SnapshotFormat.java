package io.zab.storage;

import io.zab.Zxid;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A snapshot file is {@code snapshot.<16 hex digits of its zxid>}: its content followed by a 16-byte trailer:
 * magic | content length (long) | crc32c of the content (int), big-endian. The magic says the format of the
 * content: "ZAB2" (issue 11) for a {@link io.zab.wire.SnapshotHeader} (the membership at the snapshot's zxid)
 * followed by the state machine's bytes; "ZABS" (before) for the state machine's bytes alone, read as if
 * preceded by a header of unknown membership. Any other magic is damage.
 */
final class SnapshotFormat {
  private SnapshotFormat() {}

  /** The trailer magic of the format written before snapshots recorded their membership: read only. */
  static final int MAGIC_V1 = 0x5A414253; // "ZABS"
  /** The trailer magic this zab writes: the content starts with a SnapshotHeader. */
  static final int MAGIC = 0x5A414232; // "ZAB2"
  static final int TRAILER_BYTES = 16;
  static final String PREFIX = "snapshot.";
  static final String GLOB = ZxidFileNames.glob(PREFIX);

  static Path fileFor(Path dir, Zxid zxid) {
    return ZxidFileNames.fileFor(dir, PREFIX, zxid);
  }

  static Zxid zxidOf(Path file) {
    return ZxidFileNames.parse(PREFIX, file);
  }

  static ByteBuffer trailer(long length, int crc) {
    return ByteBuffer.allocate(TRAILER_BYTES).putInt(MAGIC).putLong(length).putInt(crc).flip();
  }
}
