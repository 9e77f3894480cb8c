package io.zab.storage;

import io.zab.Zxid;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * On-disk layout of a log segment.
 *
 * <pre>
 * header (20 bytes): magic "ZABL" | format version (int) | base zxid (long) | crc32c of the previous 16 bytes
 * record, versions 2, 3: payload length (int) | crc32c of zxid+kind+payload (int) | zxid (long) | kind (u8) | payload
 * record, version 1: payload length (int) | crc32c of zxid+payload (int) | zxid (long) | payload
 * header, version 4 (32 bytes): the 20 bytes above | salt (long) | crc32c of the previous 28 bytes
 * record, version 4: payload length (int) | crc32c of salt+zxid+kind+header check+payload (int) | zxid (long) |
 *     kind (u8) | header check: crc32c of salt+length+zxid+kind (int) | payload
 * </pre>
 *
 * Version 4 (issue 12) is a recycled segment: the file of a segment that compaction no longer needed, renamed and
 * overwritten from the start, so that its blocks are allocated and written already and an fsync flushes data only.
 * After the new records it still holds records of its previous life, which are valid records of another segment. The
 * header's random salt, which every record's checksums cover, tells them apart: a record of the previous life fails
 * the check under the new salt (but for the 2^-32 chance of any checksum), so the new records end at the first record
 * that is not valid under this segment's salt, and recovery judges that point as it judges the end of a version 2
 * segment: damage in the middle if a record valid under this salt, with a zxid above the last one read, follows
 * anywhere after it; the end (a torn tail, or old bytes) otherwise. The salt sits after a complete 20-byte header of
 * the earlier layout, so that a zab from before version 4 refuses the file by name ("unsupported segment format
 * version 4"), and has a checksum of its own, so that a damaged salt is damage rather than a segment whose every
 * record looks torn. A version 4 record also checks its own header: recovery looks for a valid record at every byte
 * offset after a bad one, up to the end of a file that can be a whole segment of old bytes, and with only a checksum
 * over the whole record every offset whose bytes read as a plausible length would cost a checksum of up to that many
 * bytes (minutes for a 64 MiB file of binary payloads); the header check rejects all but 2^-32 of them at the cost of
 * 21 bytes.
 *
 * Version 3 (issue 12) is a preallocated segment: the records of version 2 in a file written with zeros to its
 * full size before records overwrite them, so that an fsync flushes data blocks only. Its records end at the end
 * of the file or where a record would start with all-zero bytes, and every byte from there to the end of the file
 * must be zero (anything else is damage, judged as any other). No valid record starts with zeros (its zxid is
 * above the segment base, so never 0), so this end cannot hide a record. Only preallocated segments get version
 * 3; a segment that grows by appends is written as version 2, so that a log written without preallocation stays
 * readable by a zab from before version 3 (which refuses a version 3 segment: "unsupported segment format version
 * 3"). Version 2 (issue 11) gave every record a txn kind (0 APPLICATION, 1 CONFIG); in versions 1 and 2 zeros
 * after the last record are damage (a torn tail), as they always were. Segments of version 1 are read (every record
 * an APPLICATION txn) but never appended to: the log rolls to a new segment first. Any other version is refused
 * with a message naming it.
 *
 * A segment is named {@code log.<16 hex digits of its base zxid>}; the base is the zxid just before the
 * segment's first record (the previous segment's last zxid, or the log's base for the first segment). All
 * integers are big-endian.
 */
final class SegmentFormat {
  private SegmentFormat() {}

  static final int MAGIC = 0x5A41424C; // "ZABL"
  /** The newest version: a preallocated segment. */
  static final int VERSION = 3;
  /** A recycled segment: salted records (see the class comment). */
  static final int VERSION_4 = 4;
  /** The version of a segment that grows by appends. */
  static final int VERSION_2 = 2;
  /** The version before txn kinds: read only. */
  static final int VERSION_1 = 1;
  /** Header bytes of versions 1 to 3 (and the first part of a version 4 header). */
  static final int HEADER_BYTES = 20;
  /** Header bytes of version 4: the salt and a second checksum follow. */
  static final int SALTED_HEADER_BYTES = 32;
  /** Record header bytes (before the payload) of versions 2 and 3. */
  static final int RECORD_HEADER_BYTES = 17;
  /** Record header bytes of version 4: the header check follows the kind. */
  static final int SALTED_RECORD_HEADER_BYTES = 21;
  /**
   * The largest payload length recovery and readers accept. Deliberately not the configured maxTxnBytes: lowering
   * that setting must not turn valid records already on disk into "damage" that recovery would cut.
   */
  static final int MAX_PAYLOAD_ON_DISK = 1 << 30;
  static final String PREFIX = "log.";
  static final String GLOB = ZxidFileNames.glob(PREFIX);

  static Path fileFor(Path dir, Zxid base) {
    return ZxidFileNames.fileFor(dir, PREFIX, base);
  }

  /** The base zxid encoded in a segment file name, or null if the name is not a segment name. */
  static Zxid baseOf(Path file) {
    return ZxidFileNames.parse(PREFIX, file);
  }

  /** Whether records of segment format {@code version} end at a zero-filled tail (see the class comment). */
  static boolean endsAtZeros(int version) {
    return version == VERSION;
  }

  /** Header bytes of a segment of format {@code version}. */
  static int headerBytes(int version) {
    return version == VERSION_4 ? SALTED_HEADER_BYTES : HEADER_BYTES;
  }

  /** Bytes before the payload of a record of segment format {@code version}. */
  static int recordHeaderBytes(int version) {
    return version == VERSION_1 ? 16 : version == VERSION_4 ? SALTED_RECORD_HEADER_BYTES : RECORD_HEADER_BYTES;
  }

  /** The header check of a version 4 record: crc32c of the salt, the length, the zxid and the kind. */
  static int headerCheck(long salt, int length, long zxid, int kind) {
    return headerCheck(new CRC32C(), salt, length, zxid, kind);
  }

  /** {@link #headerCheck(long, int, long, int)} computed with {@code crc} (reset first): allocates nothing. */
  static int headerCheck(CRC32C crc, long salt, int length, long zxid, int kind) {
    crc.reset();
    updateLong(crc, salt);
    updateInt(crc, length);
    updateLong(crc, zxid);
    crc.update(kind);
    return (int) crc.getValue();
  }

  /** The header of a preallocated segment (version 3). */
  static ByteBuffer header(Zxid base) {
    return header(base, VERSION);
  }

  /** The header of a segment of format {@code version} (tests write version 1 segments with it). */
  static ByteBuffer header(Zxid base, int version) {
    ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES);
    b.putInt(MAGIC).putInt(version).putLong(base.value());
    CRC32C crc = new CRC32C();
    crc.update(b.array(), 0, 16);
    b.putInt((int) crc.getValue());
    return b.flip();
  }

  /** The header of a recycled segment (version 4) with {@code salt}. */
  static ByteBuffer saltedHeader(Zxid base, long salt) {
    ByteBuffer b = ByteBuffer.allocate(SALTED_HEADER_BYTES);
    b.put(header(base, VERSION_4)).putLong(salt);
    CRC32C crc = new CRC32C();
    crc.update(b.array(), 0, 28);
    b.putInt((int) crc.getValue());
    return b.flip();
  }

  /**
   * Decodes the first 20 bytes of a header; returns an error message or null if valid. For version 4 the caller then
   * reads the rest and checks it with {@link #checkSalt}.
   */
  static String checkHeader(ByteBuffer b) {
    CRC32C crc = new CRC32C();
    crc.update(b.array(), b.arrayOffset(), 16);
    if (b.getInt(0) != MAGIC) {
      return "not a zab log segment (bad magic 0x" + Integer.toHexString(b.getInt(0)) + ")";
    }
    if (b.getInt(16) != (int) crc.getValue()) {
      return "segment header checksum mismatch";
    }
    int version = b.getInt(4);
    if (version != VERSION_4 && version != VERSION && version != VERSION_2 && version != VERSION_1) {
      return "unsupported segment format version " + version + " (this zab reads versions " + VERSION_1 + " to "
          + VERSION_4 + "; a newer zab wrote it?)";
    }
    return null;
  }

  /** Checks the salt part of a full version 4 header (32 bytes); returns an error message or null if valid. */
  static String checkSalt(ByteBuffer b) {
    CRC32C crc = new CRC32C();
    crc.update(b.array(), b.arrayOffset(), 28);
    return b.getInt(28) == (int) crc.getValue() ? null : "segment header salt checksum mismatch";
  }

  /**
   * The zxid ordering rule of the log: the next zxid continues the same epoch by exactly one, or starts a
   * higher epoch with a counter above zero.
   */
  static boolean follows(Zxid prev, Zxid next) {
    if (next.epoch() == prev.epoch()) {
      return next.counter() == prev.counter() + 1;
    }
    return next.epoch() > prev.epoch() && next.counter() > 0;
  }

  static String followError(Zxid prev, Zxid next) {
    if (!next.isAfter(prev)) {
      return "non-increasing zxid " + next + " after " + prev;
    }
    return "zxid gap: " + next + " after " + prev;
  }

  /** CRC32C over the zxid, the kind (from version 2 on) and the payload bytes of a record (not version 4). */
  static int recordCrc(CRC32C crc, int version, long zxid, int kind, byte[] payload, int off, int len) {
    return recordCrc(crc, version, 0, zxid, kind, payload, off, len);
  }

  /**
   * CRC32C over the salt (version 4 only), the zxid, the kind (from version 2 on), the header check (version 4 only,
   * {@link #headerCheck}) and the payload of a record. Allocates nothing: recovery calls it for every record.
   */
  static int recordCrc(CRC32C crc, int version, long salt, long zxid, int kind, byte[] payload, int off, int len) {
    int check = version == VERSION_4 ? headerCheck(crc, salt, len, zxid, kind) : 0;
    crc.reset();
    if (version == VERSION_4) {
      updateLong(crc, salt);
    }
    updateLong(crc, zxid);
    if (version != VERSION_1) {
      crc.update(kind);
    }
    if (version == VERSION_4) {
      updateInt(crc, check);
    }
    crc.update(payload, off, len);
    return (int) crc.getValue();
  }

  /** Feeds {@code crc} the 8 bytes of {@code v}, big-endian, one at a time (no buffer to allocate). */
  private static void updateLong(CRC32C crc, long v) {
    for (int shift = 56; shift >= 0; shift -= 8) {
      crc.update((int) (v >>> shift));
    }
  }

  /** Feeds {@code crc} the 4 bytes of {@code v}, big-endian, one at a time. */
  private static void updateInt(CRC32C crc, int v) {
    for (int shift = 24; shift >= 0; shift -= 8) {
      crc.update(v >>> shift);
    }
  }
}
