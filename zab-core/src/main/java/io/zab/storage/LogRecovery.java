package io.zab.storage;

import io.zab.FileSyncer;
import io.zab.Zxid;
import io.zab.wire.Txn;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates the segments of a log directory on open. It first scans everything read-only; only when the log is
 * sound apart from a torn tail does it cut that tail. Anything a crash cannot explain is a
 * {@link CorruptLogException} and leaves the files untouched.
 */
final class LogRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(LogRecovery.class);

  /**
   * The sound log found on disk: its segments in order, its last zxid, the active segment's length, format version
   * and salt (version 4). With no segment, {@code lastZxid} is the base the first segment must be created with.
   */
  record Result(List<Segment> segments, Zxid lastZxid, long activeEnd, int activeVersion, long activeSalt) {}

  private LogRecovery() {}

  /** Returns the recovered state, or an empty segment list if the directory holds no segment. */
  static Result recover(Path dir, TxnLogOptions options) throws IOException {
    List<Segment> segments = listSegments(dir);
    Zxid last = null;
    long activeEnd = 0;
    int activeVersion = SegmentFormat.VERSION;
    long activeSalt = 0;
    int[] versions = new int[segments.size()];
    long[] salts = new long[segments.size()];
    long[] ends = new long[segments.size()];
    Path tornFile = null;
    long tornOffset = -1;
    for (int i = 0; i < segments.size(); i++) {
      Segment seg = segments.get(i);
      boolean isLast = i == segments.size() - 1;
      try (SegmentScanner s = SegmentScanner.open(seg.file(), -1, SegmentFormat.MAX_PAYLOAD_ON_DISK)) {
        if (s.base() == null) { // the header itself is short: only a segment being created when we crashed
          if (!isLast) {
            throw new CorruptLogException(seg.file(), 0, s.damage().problem() + " in a segment that is not the last",
                last == null ? seg.base() : last);
          }
          tornFile = seg.file();
          tornOffset = 0;
          break;
        }
        if (!s.base().equals(seg.base())) {
          throw new CorruptLogException(seg.file(), 8, "header base zxid " + s.base() + " does not match file name");
        }
        if (last != null && !s.base().equals(last)) {
          throw new CorruptLogException(seg.file(), 8,
              "segment base zxid " + s.base() + " does not continue the previous segment, which ends at " + last);
        }
        last = s.base();
        versions[i] = s.version();
        salts[i] = s.salt();
        long recordAt = s.position();
        for (Txn t = s.next(); t != null; t = s.next()) {
          if (!SegmentFormat.follows(last, t.zxid())) {
            throw new CorruptLogException(seg.file(), recordAt, SegmentFormat.followError(last, t.zxid()));
          }
          last = t.zxid();
          recordAt = s.position();
        }
        SegmentScanner.Damage d = s.damage();
        if (d != null) {
          if (!isLast) {
            throw new CorruptLogException(seg.file(), d.offset(), d.problem() + " in a segment that is not the last",
                last);
          }
          long validAt = findValidRecord(seg.file(), d.offset() + 1, s.end(), last, SegmentFormat.MAX_PAYLOAD_ON_DISK,
              s.version(), s.salt());
          if (validAt >= 0) {
            throw new CorruptLogException(seg.file(), d.offset(),
                d.problem() + ", followed by a valid record at offset " + validAt, last);
          }
          tornFile = seg.file();
          tornOffset = d.offset();
          if (s.version() == SegmentFormat.VERSION_4) {
            // the usual end of a recycled segment: the bytes of its previous life (or a torn write) follow
            LOG.info("Recycled segment {} ends at byte offset {}; cutting the {} bytes after it ({})", seg.file(),
                d.offset(), s.end() - d.offset(), d.problem());
          } else {
            LOG.warn("Cutting torn tail of {} at byte offset {} ({} bytes dropped): {}", seg.file(), d.offset(),
                s.end() - d.offset(), d.problem());
          }
        }
        // where the records end: the file's end, or a preallocated segment's zero-filled tail
        ends[i] = s.position();
        activeEnd = tornFile != null ? tornOffset : s.position();
        activeVersion = s.version();
        activeSalt = s.salt();
      }
    }
    if (tornFile != null) {
      cutTornTail(dir, tornFile, tornOffset, options.syncer());
      if (tornOffset == 0) {
        segments.remove(segments.size() - 1);
        // the remaining last segment is complete
        activeEnd = segments.isEmpty() ? 0 : ends[segments.size() - 1];
        activeVersion = segments.isEmpty() ? SegmentFormat.VERSION : versions[segments.size() - 1];
        activeSalt = segments.isEmpty() ? 0 : salts[segments.size() - 1];
      }
    }
    if (segments.isEmpty()) {
      // a lone torn segment still names the base it was created with (e.g. by resetTo)
      return new Result(segments, tornFile != null ? SegmentFormat.baseOf(tornFile) : Zxid.ZERO, 0,
          SegmentFormat.VERSION, 0);
    }
    return new Result(segments, last, activeEnd, activeVersion, activeSalt);
  }

  static List<Segment> listSegments(Path dir) throws IOException {
    List<Segment> out = new ArrayList<>();
    for (Path p : Directories.list(dir, SegmentFormat.GLOB)) {
      Zxid base = SegmentFormat.baseOf(p);
      if (base != null) {
        out.add(new Segment(p, base));
      }
    }
    out.sort(Comparator.comparing(Segment::base));
    return out;
  }

  private static void cutTornTail(Path dir, Path file, long offset, FileSyncer syncer) throws IOException {
    if (offset == 0) {
      LOG.warn("Deleting {}: its header is torn (crash while creating it), it holds no record", file);
      Files.delete(file);
      syncer.syncDirectory(dir);
      return;
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(offset);
      syncer.syncData(ch);
    }
  }

  /**
   * Looks for any record that passes every check (sane length, fits, zxid after {@code after}, checksum) at an
   * offset in [from, end). Finding one means the damage before it is not a torn tail. In a version 4 segment only
   * records valid under its {@code salt} count: the records of the file's previous life are not this segment's.
   */
  static long findValidRecord(Path file, long from, long end, Zxid after, int maxTxnBytes, int version, long salt)
      throws IOException {
    Tail tail = Tail.read(file, from, end, version);
    for (int i = 0; i < tail.bytes().limit(); i++) {
      if (validRecordAt(tail, i, after, maxTxnBytes, version, salt) != null) {
        return from + i;
      }
    }
    return -1;
  }

  /**
   * The zxid of the last record of the chain of valid records that starts at the first valid record in [from, end)
   * (each one right after the previous, zxids increasing), or null if there is none: what a damaged segment still
   * proves was logged after its damage.
   */
  static Zxid lastValidAfter(Path file, long from, long end, Zxid after, int maxTxnBytes, int version, long salt)
      throws IOException {
    Tail tail = Tail.read(file, from, end, version);
    int headerBytes = SegmentFormat.recordHeaderBytes(version);
    Zxid last = null;
    int i = 0;
    while (last == null && i < tail.bytes().limit()) {
      last = validRecordAt(tail, i, after, maxTxnBytes, version, salt);
      i++;
    }
    i--;
    while (last != null) {
      i += headerBytes + tail.bytes().getInt(i);
      Zxid next = i < tail.bytes().limit() ? validRecordAt(tail, i, last, maxTxnBytes, version, salt) : null;
      if (next == null) {
        return last;
      }
      last = next;
    }
    return null;
  }

  /**
   * The bytes [from, from + length) of a segment: {@code bytes} holds them up to one record header past the last
   * non-zero byte, the rest are known to be zero and are not read (the zero-filled tail of a preallocated segment
   * can be the whole segment). Every record that starts with a non-zero byte has its header in {@code bytes}.
   */
  private record Tail(ByteBuffer bytes, long length) {
    static Tail read(Path file, long from, long end, int version) throws IOException {
      long nonZeroEnd = SegmentScanner.endOfNonZero(file, from, end);
      long readEnd = Math.min(end, nonZeroEnd + SegmentFormat.recordHeaderBytes(version));
      ByteBuffer b = ByteBuffer.allocate((int) Math.max(0, readEnd - from));
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
        long off = from;
        while (b.hasRemaining() && ch.read(b, off) > 0) {
          off = from + b.position();
        }
      }
      return new Tail(b.flip(), Math.max(0, end - from));
    }
  }

  /** The zxid of the record at {@code i} if it passes every check, else null. */
  private static Zxid validRecordAt(Tail tail, int i, Zxid after, int maxTxnBytes, int version, long salt) {
    int headerBytes = SegmentFormat.recordHeaderBytes(version);
    ByteBuffer b = tail.bytes();
    if (i + headerBytes > b.limit()) {
      return null;
    }
    int len = b.getInt(i);
    if (len < 0 || len > maxTxnBytes || i + headerBytes + (long) len > tail.length()) {
      return null;
    }
    long zxid = b.getLong(i + 8);
    if (Long.compareUnsigned(zxid, after.value()) <= 0) {
      return null;
    }
    int kind = version == SegmentFormat.VERSION_1 ? 0 : b.get(i + 16) & 0xFF;
    CRC32C crc = new CRC32C();
    if (version == SegmentFormat.VERSION_4
        && b.getInt(i + 17) != SegmentFormat.headerCheck(crc, salt, len, zxid, kind)) {
      return null; // rejects old bytes before their payload is checksummed: keeps the search linear
    }
    int inBuffer = (int) Math.min(len, b.limit() - (i + headerBytes));
    SegmentFormat.recordCrc(crc, version, salt, zxid, kind, b.array(), i + headerBytes, inBuffer);
    byte[] zeros = new byte[Math.min(64 * 1024, len - inBuffer)]; // the payload's bytes in the zero tail
    for (int left = len - inBuffer; left > 0; left -= zeros.length) {
      crc.update(zeros, 0, Math.min(left, zeros.length));
    }
    return (int) crc.getValue() == b.getInt(i + 4) ? new Zxid(zxid) : null;
  }
}
