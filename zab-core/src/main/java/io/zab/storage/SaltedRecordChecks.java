package io.zab.storage;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The two salted checks of a version 4 record ({@link SegmentFormat}): the header check (crc32c of salt, length, zxid,
 * kind) and the start of the record checksum (the salt). One per writer, reused for every record, so that the log's
 * append path allocates nothing for them. Not thread-safe.
 */
final class SaltedRecordChecks {
  private static final int HEADER_CHECKED_BYTES = 21; // salt (8) | length (4) | zxid (8) | kind (1)
  private final byte[] bytes = new byte[HEADER_CHECKED_BYTES];
  private final ByteBuffer view = ByteBuffer.wrap(bytes);
  private final CRC32C headerCrc = new CRC32C();

  /** Sets the salt of the segment the next records go to. */
  SaltedRecordChecks salt(long salt) {
    view.putLong(0, salt);
    return this;
  }

  /** The header check of a record under the current salt. */
  int headerCheck(int length, long zxid, int kind) {
    view.putInt(8, length).putLong(12, zxid).put(20, (byte) kind);
    headerCrc.reset();
    headerCrc.update(bytes, 0, HEADER_CHECKED_BYTES);
    return (int) headerCrc.getValue();
  }

  /** Resets {@code recordCrc} and feeds it the current salt: the start of a record's checksum. */
  void startRecordCrc(CRC32C recordCrc) {
    recordCrc.reset();
    recordCrc.update(bytes, 0, 8);
  }
}
