package io.zab.storage;

import io.zab.Zxid;
import io.zab.wire.Txn;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Reads the records of one segment file in order, read-only, validating lengths and checksums. It never
 * interprets damage: the first bad or truncated record stops the scan and is reported by {@link #damage()}. In a
 * segment of a format that ends at zeros ({@link SegmentFormat#endsAtZeros}) an all-zero record header followed by
 * nothing but zeros is the end, not damage; one followed by any non-zero byte is damage at the record's offset. In a
 * recycled segment (version 4) a record's checksum covers the header's salt, so the records of the file's previous life
 * stop the scan like any bad record (LogRecovery then decides whether that is the end or damage).
 */
final class SegmentScanner implements Closeable {

  /** Where and why the scan stopped early. */
  record Damage(long offset, String problem) {}

  private static final int CHUNK = 256 * 1024;

  private final Path file;
  private final FileChannel channel;
  private final long end;
  private final int maxTxnBytes;
  private final CRC32C crc = new CRC32C();
  private ByteBuffer buf = ByteBuffer.allocate(CHUNK);
  private long bufStart;
  private long pos;
  private Zxid base;
  private int version;
  private long salt;
  private Damage damage;
  private boolean zeroTail;

  private SegmentScanner(Path file, FileChannel channel, long end, int maxTxnBytes) {
    this.file = file;
    this.channel = channel;
    this.end = end;
    this.maxTxnBytes = maxTxnBytes;
    buf.limit(0);
  }

  /**
   * Opens {@code file} and reads its header; records are read up to byte {@code end} (or the file size if
   * negative). A file shorter than a header is reported as damage at offset 0 with a null {@link #base()}.
   *
   * @throws CorruptLogException if the header is complete but invalid
   */
  static SegmentScanner open(Path file, long end, int maxTxnBytes) throws IOException {
    FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
    try {
      SegmentScanner s = new SegmentScanner(file, ch, end < 0 ? ch.size() : end, maxTxnBytes);
      s.readHeader();
      return s;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  private void readHeader() throws IOException {
    if (end < SegmentFormat.HEADER_BYTES) {
      damage = new Damage(0, "truncated segment header (" + end + " of " + SegmentFormat.HEADER_BYTES + " bytes)");
      return;
    }
    ByteBuffer h = ByteBuffer.allocate(SegmentFormat.HEADER_BYTES);
    readFully(h, 0);
    String problem = SegmentFormat.checkHeader(h);
    if (problem != null) {
      throw new CorruptLogException(file, 0, problem);
    }
    int v = h.getInt(4);
    if (v == SegmentFormat.VERSION_4) {
      if (end < SegmentFormat.SALTED_HEADER_BYTES) {
        // never left by a crash (the header is durable before the file gets a segment's name): damage
        throw new CorruptLogException(file, 0, "truncated segment header (" + end + " of "
            + SegmentFormat.SALTED_HEADER_BYTES + " bytes of a version 4 header)");
      }
      h = ByteBuffer.allocate(SegmentFormat.SALTED_HEADER_BYTES);
      readFully(h, 0);
      problem = SegmentFormat.checkSalt(h);
      if (problem != null) {
        throw new CorruptLogException(file, 0, problem);
      }
      salt = h.getLong(20);
    }
    base = new Zxid(h.getLong(8));
    version = v;
    pos = SegmentFormat.headerBytes(v);
    bufStart = pos;
  }

  Path file() {
    return file;
  }

  /** The base zxid from the header, or null if the header is truncated. */
  Zxid base() {
    return base;
  }

  /** The segment's format version (valid once the header was read: {@link #base()} not null). */
  int version() {
    return version;
  }

  /** The salt every record checksum covers in a version 4 segment (0 otherwise). */
  long salt() {
    return salt;
  }

  /** Offset just past the last valid record read (where the next record starts). */
  long position() {
    return pos;
  }

  long end() {
    return end;
  }

  Damage damage() {
    return damage;
  }

  /** Whether the records ended at a zero-filled tail (the bytes from {@link #position()} on are all zero). */
  boolean endedAtZeros() {
    return zeroTail;
  }

  private static boolean isZero(ByteBuffer b, int from, int n) {
    for (int i = from; i < from + n; i++) {
      if (b.get(i) != 0) {
        return false;
      }
    }
    return true;
  }

  /** The offset of the first non-zero byte of {@code file} in [from, end), or -1 if they are all zero. */
  static long firstNonZero(Path file, FileChannel ch, long from, long end) throws IOException {
    ByteBuffer b = ByteBuffer.allocate((int) Math.min(CHUNK, Math.max(0, end - from)));
    for (long off = from; off < end; ) {
      b.clear().limit((int) Math.min(b.capacity(), end - off));
      readFully(file, ch, b, off);
      for (int i = 0; i < b.limit(); i++) {
        if (b.get(i) != 0) {
          return off + i;
        }
      }
      off += b.limit();
    }
    return -1;
  }

  /**
   * The offset just past the last non-zero byte of {@code file} in [from, end), or {@code from} if there is none:
   * where the zero-filled tail of a preallocated segment starts. Reads backwards, so a file that does not end in
   * zeros costs one read.
   */
  static long endOfNonZero(Path file, long from, long end) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer b = ByteBuffer.allocate((int) Math.min(CHUNK, Math.max(0, end - from)));
      for (long hi = end; hi > from; ) {
        long lo = Math.max(from, hi - b.capacity());
        b.clear().limit((int) (hi - lo));
        readFully(file, ch, b, lo);
        for (int i = b.limit() - 1; i >= 0; i--) {
          if (b.get(i) != 0) {
            return lo + i + 1;
          }
        }
        hi = lo;
      }
      return from;
    }
  }

  /** The next valid record, or null at the end or at damage (see {@link #damage()}). */
  Txn next() throws IOException {
    if (damage != null || pos >= end || zeroTail) {
      return null;
    }
    int headerBytes = SegmentFormat.recordHeaderBytes(version);
    long remaining = end - pos;
    if (SegmentFormat.endsAtZeros(version)) {
      int n = (int) Math.min(headerBytes, remaining);
      load(n);
      if (isZero(buf, (int) (pos - bufStart), n)) {
        long nonZero = firstNonZero(file, channel, pos + n, end);
        if (nonZero < 0) {
          zeroTail = true;
          return null;
        }
        return stop("zero-filled record header, but a non-zero byte follows at offset " + nonZero);
      }
    }
    if (remaining < headerBytes) {
      return stop("truncated record header (" + remaining + " of " + headerBytes + " bytes)");
    }
    load(headerBytes);
    int at = (int) (pos - bufStart);
    int len = buf.getInt(at);
    int storedCrc = buf.getInt(at + 4);
    long zxid = buf.getLong(at + 8);
    int kindCode = version == SegmentFormat.VERSION_1 ? Txn.Kind.APPLICATION.code() : buf.get(at + 16) & 0xFF;
    if (len < 0 || len > maxTxnBytes) {
      return stop("bad record length " + len + " (max " + maxTxnBytes + ")");
    }
    if (remaining < headerBytes + (long) len) {
      return stop("truncated record: length " + len + " but only " + (remaining - headerBytes)
          + " payload bytes remain");
    }
    if (version == SegmentFormat.VERSION_4
        && buf.getInt(at + 17) != SegmentFormat.headerCheck(crc, salt, len, zxid, kindCode)) {
      return stop("record header check mismatch (zxid field " + new Zxid(zxid) + ")");
    }
    load(headerBytes + len);
    at = (int) (pos - bufStart);
    byte[] payload = new byte[len];
    buf.get(at + headerBytes, payload);
    if (SegmentFormat.recordCrc(crc, version, salt, zxid, kindCode, payload, 0, len) != storedCrc) {
      return stop("record checksum mismatch (zxid field " + new Zxid(zxid) + ")");
    }
    Txn.Kind kind = Txn.Kind.fromCode(kindCode);
    if (kind == null) { // checksummed, so written so: by a newer zab, not by damage
      throw new CorruptLogException(file, pos, "record " + new Zxid(zxid) + " has unknown txn kind " + kindCode
          + " (a newer zab wrote it?)");
    }
    pos += headerBytes + len;
    return new Txn(new Zxid(zxid), kind, payload);
  }

  private Txn stop(String problem) {
    damage = new Damage(pos, problem);
    return null;
  }

  /** Ensures bytes [pos, pos + n) are in {@code buf}; the caller has checked they exist in the file. */
  private void load(int n) throws IOException {
    int at = (int) (pos - bufStart);
    if (at + n <= buf.limit()) {
      return;
    }
    int keep = buf.limit() - at; // bytes from pos onwards that are already loaded
    ByteBuffer next = buf.capacity() >= n ? buf : ByteBuffer.allocate(n);
    System.arraycopy(buf.array(), at, next.array(), 0, keep);
    buf = next;
    bufStart = pos;
    int want = (int) Math.min(buf.capacity() - keep, end - pos - keep);
    buf.limit(keep + want).position(keep);
    readFully(buf, pos + keep);
  }

  /** Fills {@code b} from its position to its limit, reading the file from {@code fileOffset}. */
  private void readFully(ByteBuffer b, long fileOffset) throws IOException {
    readFully(file, channel, b, fileOffset);
  }

  private static void readFully(Path file, FileChannel channel, ByteBuffer b, long fileOffset) throws IOException {
    long off = fileOffset;
    while (b.hasRemaining()) {
      int r = channel.read(b, off);
      if (r < 0) {
        throw new CorruptLogException(file, off, "file shrank while reading");
      }
      off += r;
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
