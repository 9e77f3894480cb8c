package io.zab.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.Zxid;
import io.zab.wire.Txn;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/** Test helpers: raw segment bytes, directory byte snapshots, reading a whole log. */
final class LogFiles {
  private LogFiles() {}

  static Txn txn(long epoch, long counter) {
    return new Txn(Zxid.of(epoch, counter), ("txn " + epoch + "/" + counter).getBytes());
  }

  /** Encodes a record exactly as the log does, for crafting files the log would refuse to write. */
  static byte[] record(Txn t) {
    return record(t, SegmentFormat.VERSION);
  }

  /** A record of segment format {@code version} (1: no kind byte, as zab wrote before issue 11). */
  static byte[] record(Txn t, int version) {
    int kind = t.kind().code();
    ByteBuffer b = ByteBuffer.allocate(SegmentFormat.recordHeaderBytes(version) + t.data().length);
    b.putInt(t.data().length)
        .putInt(SegmentFormat.recordCrc(new CRC32C(), version, t.zxid().value(), kind, t.data(), 0, t.data().length))
        .putLong(t.zxid().value());
    if (version != SegmentFormat.VERSION_1) {
      b.put((byte) kind);
    }
    return b.put(t.data()).array();
  }

  /** Writes a segment file with the given base and records, bypassing every append check. */
  static Path writeSegment(Path dir, Zxid base, Txn... txns) throws IOException {
    return writeSegment(dir, SegmentFormat.VERSION, base, txns);
  }

  /** {@link #writeSegment(Path, Zxid, Txn...)} in segment format {@code version}. */
  static Path writeSegment(Path dir, int version, Zxid base, Txn... txns) throws IOException {
    ByteBuffer h = SegmentFormat.header(base, version);
    List<byte[]> parts = new ArrayList<>();
    parts.add(Arrays.copyOf(h.array(), h.remaining()));
    for (Txn t : txns) {
      parts.add(record(t, version));
    }
    int n = parts.stream().mapToInt(p -> p.length).sum();
    ByteBuffer all = ByteBuffer.allocate(n);
    parts.forEach(all::put);
    Path file = SegmentFormat.fileFor(dir, base);
    Files.write(file, all.array());
    return file;
  }

  /** Every file name in dir mapped to its bytes in hex, to compare a directory before and after. */
  static TreeMap<String, String> contents(Path dir) throws IOException {
    TreeMap<String, String> m = new TreeMap<>();
    try (var files = Files.list(dir)) {
      for (Path p : files.toList()) {
        m.put(p.getFileName().toString(), HexFormat.of().formatHex(Files.readAllBytes(p)));
      }
    }
    return m;
  }

  static List<Txn> readAll(TxnLog log, Zxid after) {
    List<Txn> out = new ArrayList<>();
    try (LogReader r = log.readAfter(after)) {
      r.forEachRemaining(out::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** A record of a version 4 (recycled) segment with {@code salt}. */
  static byte[] saltedRecord(Txn t, long salt) {
    int kind = t.kind().code();
    ByteBuffer b = ByteBuffer.allocate(SegmentFormat.SALTED_RECORD_HEADER_BYTES + t.data().length);
    b.putInt(t.data().length).putInt(SegmentFormat.recordCrc(new CRC32C(), SegmentFormat.VERSION_4, salt,
        t.zxid().value(), kind, t.data(), 0, t.data().length)).putLong(t.zxid().value()).put((byte) kind)
        .putInt(SegmentFormat.headerCheck(salt, t.data().length, t.zxid().value(), kind));
    return b.put(t.data()).array();
  }

  /**
   * The bytes of a segment of {@code bytes} bytes (the last record may be cut short) holding epoch-1 txns 1, 2, ...
   * as the log writes them: a version 2 segment, or with {@code salt} non-zero a version 4 segment of that salt. What
   * a recycled file holds from its previous life, at its most misleading: the same zxids and payloads a test writes
   * next.
   */
  static byte[] oldSegmentBytes(int bytes, long salt) {
    ByteBuffer b = ByteBuffer.allocate(bytes);
    ByteBuffer h = salt == 0 ? SegmentFormat.header(Zxid.ZERO, SegmentFormat.VERSION_2)
        : SegmentFormat.saltedHeader(Zxid.ZERO, salt);
    b.put(h);
    for (long c = 1; b.hasRemaining(); c++) {
      byte[] r = salt == 0 ? record(txn(1, c), SegmentFormat.VERSION_2) : saltedRecord(txn(1, c), salt);
      b.put(r, 0, Math.min(r.length, b.remaining()));
    }
    return b.array();
  }

  /**
   * Fills the recycling pool of {@code dir} with {@code files} files of {@code bytes} bytes each, alternately of an
   * old version 2 segment and an old version 4 one (see {@link #oldSegmentBytes}).
   */
  static void seedRecycledPool(Path dir, int files, int bytes) throws IOException {
    for (int i = 0; i < files; i++) {
      Files.write(dir.resolve(SegmentRecycler.PREFIX + i), oldSegmentBytes(bytes, i % 2 == 0 ? 0 : 0x5EED + i));
    }
  }

  /** Copies every file of {@code from} into {@code to}: the log's files as a process killed now leaves them. */
  static Path copyFiles(Path from, Path to) throws IOException {
    try (var files = Files.list(from)) {
      for (Path p : files.toList()) {
        Files.copy(p, to.resolve(p.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return to;
  }

  /** The recycling pool files of {@code dir}. */
  static List<Path> poolFiles(Path dir) throws IOException {
    return Directories.list(dir, SegmentRecycler.PREFIX + "*");
  }

  static List<Path> segmentFiles(Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    for (Segment s : LogRecovery.listSegments(dir)) {
      files.add(s.file());
    }
    return files;
  }

  static void assertZxids(List<Txn> txns, long epoch, long fromCounter, long toCounter) {
    List<Zxid> expected = new ArrayList<>();
    for (long c = fromCounter; c <= toCounter; c++) {
      expected.add(Zxid.of(epoch, c));
    }
    assertThat(txns).extracting(Txn::zxid).containsExactlyElementsOf(expected);
  }
}
