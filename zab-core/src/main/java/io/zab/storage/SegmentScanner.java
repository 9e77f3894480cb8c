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
 * interprets damage: the first bad or truncated record stops the scan and is reported by {@link #damage()}.
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
  private Damage damage;

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
    base = new Zxid(h.getLong(8));
    version = h.getInt(4);
    pos = SegmentFormat.HEADER_BYTES;
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

  /** The next valid record, or null at the end or at damage (see {@link #damage()}). */
  Txn next() throws IOException {
    if (damage != null || pos >= end) {
      return null;
    }
    int headerBytes = SegmentFormat.recordHeaderBytes(version);
    long remaining = end - pos;
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
    load(headerBytes + len);
    at = (int) (pos - bufStart);
    byte[] payload = new byte[len];
    buf.get(at + headerBytes, payload);
    if (SegmentFormat.recordCrc(crc, version, zxid, kindCode, payload, 0, len) != storedCrc) {
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
