package io.zab.storage;

import io.zab.Zxid;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A snapshot file is {@code snapshot.<16 hex digits of its zxid>}: the application's bytes followed by a
 * 16-byte trailer: magic "ZABS" | content length (long) | crc32c of the content (int), big-endian.
 */
final class SnapshotFormat {
  private SnapshotFormat() {}

  static final int MAGIC = 0x5A414253; // "ZABS"
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
