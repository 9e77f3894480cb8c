package io.zab.storage;

import static io.zab.storage.LogFiles.assertZxids;
import static io.zab.storage.LogFiles.contents;
import static io.zab.storage.LogFiles.poolFiles;
import static io.zab.storage.LogFiles.readAll;
import static io.zab.storage.LogFiles.saltedRecord;
import static io.zab.storage.LogFiles.segmentFiles;
import static io.zab.storage.LogFiles.txn;
import static io.zab.storage.PreallocatedSegmentTest.append;
import static io.zab.storage.PreallocatedSegmentTest.last;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zab.Zxid;
import io.zab.wire.Txn;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12: a recycled segment (format version 4) is a compacted segment's file overwritten from the start, so after a
 * crash its new records are followed by the records of its previous life. Each test crashes the log in one state (the
 * files copied while the log is open, as a killed process leaves them; what the test reads was fsynced) and checks
 * what reopening makes of it. The old records are made as misleading as possible: the same zxids and payloads, at the
 * same offsets, under another salt.
 */
class RecycledSegmentTest {
  private static final int SEGMENT = 256;
  private static final long OLD_SALT = 0x0123_4567_89AB_CDEFL;

  @TempDir Path dir;
  @TempDir Path crashed;
  @TempDir Path trials;
  final CountingSyncer syncer = new CountingSyncer();

  TxnLogOptions options() {
    return TxnLogOptions.defaults().withSegmentBytes(SEGMENT).withSyncer(syncer).withRecycledFiles(2);
  }

  Path crashCopy() throws IOException {
    return LogFiles.copyFiles(dir, crashed);
  }

  /** The records a segment of {@code base} would hold, as a version 4 segment of {@code salt} writes them. */
  static byte[] saltedSegment(Zxid base, long salt, int bytes) {
    ByteBuffer b = ByteBuffer.allocate(bytes);
    b.put(SegmentFormat.saltedHeader(base, salt));
    for (long c = base.counter() + 1; b.hasRemaining(); c++) {
      byte[] r = saltedRecord(txn(1, c), salt);
      b.put(r, 0, Math.min(r.length, b.remaining()));
    }
    return b.array();
  }

  /** Record start offsets (and the end of the last record) of the valid records of a segment, up to {@code end}. */
  static List<Long> recordBounds(Path file, long end) throws IOException {
    List<Long> bounds = new ArrayList<>();
    try (SegmentScanner s = SegmentScanner.open(file, end, 1 << 20)) {
      bounds.add(s.position());
      while (s.next() != null) {
        bounds.add(s.position());
      }
    }
    return bounds;
  }

  static long salt(Path file) throws IOException {
    assertThat(version(file)).isEqualTo(SegmentFormat.VERSION_4);
    try (SegmentScanner s = SegmentScanner.open(file, -1, 1 << 20)) {
      return s.salt();
    }
  }

  static int version(Path file) throws IOException {
    try (SegmentScanner s = SegmentScanner.open(file, -1, 1 << 20)) {
      return s.version();
    }
  }

  /**
   * A log whose first segment (txns 1..9, grown by appends) rolled into the pool file {@code old}, which then got
   * {@code records} more txns; copied while open. Returns the first txn counter of the recycled segment.
   */
  long crashedInARecycledSegment(byte[] old, int records) throws IOException {
    Files.write(dir.resolve(SegmentRecycler.PREFIX + "0"), old);
    try (TxnLog log = TxnLog.open(dir, options())) {
      long c = 0;
      while (segmentFiles(dir).size() < 2) {
        c++;
        append(log, c, c);
      }
      long first = c;
      append(log, c + 1, c + records - 1);
      assertThat(poolFiles(dir)).as("the pool file became the segment").isEmpty();
      assertThat(Files.size(last(dir))).as("overwritten in place, not grown").isEqualTo(old.length);
      crashCopy();
      return first;
    }
  }

  @Test
  void aTearAtEveryByteOfARecycledSegmentEndsItAtTheLastWholeRecordNeverAtAnOldOne() throws IOException {
    // the previous life holds the same zxids and payloads at the same offsets: only the salt tells them apart
    byte[] sameSequenceOtherSalt = saltedSegment(Zxid.of(1, 9), OLD_SALT, SEGMENT);
    long first = crashedInARecycledSegment(sameSequenceOtherSalt, 6);
    assertThat(first).isEqualTo(10);
    Path seg = last(crashed);
    byte[] written = Files.readAllBytes(seg);
    List<Long> bounds = recordBounds(seg, -1);
    assertThat(bounds).as("six records, then the old ones fail under the new salt").hasSize(7);
    long end = bounds.get(6);
    Path trial = trials.resolve("trial");
    for (int p = SegmentFormat.SALTED_HEADER_BYTES; p <= end; p++) {
      // the new bytes reached the disk up to p, the file's old bytes are still there from p on
      byte[] torn = Arrays.copyOf(written, written.length);
      System.arraycopy(sameSequenceOtherSalt, p, torn, p, torn.length - p);
      int whole = 0;
      while (whole < 6 && Arrays.equals(torn, bounds.get(whole).intValue(), bounds.get(whole + 1).intValue(),
          written, bounds.get(whole).intValue(), bounds.get(whole + 1).intValue())) {
        whole++;
      }
      reset(trial);
      Files.write(trial.resolve(seg.getFileName()), torn);
      try (TxnLog log = TxnLog.open(trial, options())) {
        assertThat(log.lastZxid()).as("torn at %d", p).isEqualTo(Zxid.of(1, first - 1 + whole));
        assertThat(Files.size(trial.resolve(seg.getFileName()))).as("cut after the records, torn at %d", p)
            .isEqualTo(bounds.get(whole));
        append(log, first + whole, first + 7);
      }
      try (TxnLog log = TxnLog.open(trial, options())) {
        assertZxids(readAll(log, Zxid.ZERO), 1, 1, first + 7);
      }
    }
  }

  private void reset(Path trial) throws IOException {
    if (Files.exists(trial)) {
      try (var files = Files.list(trial)) {
        for (Path p : files.toList()) {
          Files.delete(p);
        }
      }
    }
    Files.createDirectories(trial);
    Files.copy(segmentFiles(crashed).get(0), trial.resolve(segmentFiles(crashed).get(0).getFileName()));
  }

  @Test
  void oldRecordsOfAnAppendGrownSegmentAfterTheEndAreNotRead() throws IOException {
    long first = crashedInARecycledSegment(LogFiles.oldSegmentBytes(SEGMENT, 0), 3);
    Path seg = last(crashed);
    long end = recordBounds(seg, -1).get(3);
    assertThat(end).as("old bytes follow the new records").isLessThan(Files.size(seg));
    try (TxnLog log = TxnLog.open(crashed, options())) {
      assertThat(log.lastZxid()).isEqualTo(Zxid.of(1, first + 2));
      assertThat(Files.size(seg)).isEqualTo(end);
      append(log, first + 3, first + 20);
    }
    try (TxnLog log = TxnLog.open(crashed, options())) {
      assertZxids(readAll(log, Zxid.ZERO), 1, 1, first + 20);
    }
  }

  @Test
  void aDamagedRecordInTheMiddleOfARecycledSegmentIsRefusedUntouched() throws IOException {
    crashedInARecycledSegment(saltedSegment(Zxid.of(1, 9), OLD_SALT, SEGMENT), 5);
    Path seg = last(crashed);
    List<Long> bounds = recordBounds(seg, -1);
    assertThat(bounds.size()).isGreaterThanOrEqualTo(6);
    flip(seg, bounds.get(1) + SegmentFormat.SALTED_RECORD_HEADER_BYTES + 1); // a payload byte of the second record
    TreeMap<String, String> before = contents(crashed);
    assertThatThrownBy(() -> TxnLog.open(crashed, options()).close()).isInstanceOf(CorruptLogException.class)
        .hasMessageContaining(seg.toString()).hasMessageContaining("followed by a valid record at offset "
            + bounds.get(2));
    assertThat(contents(crashed)).as("nothing modified or deleted").isEqualTo(before);
  }

  @Test
  void aDamagedRecordHeaderCheckIsDamageToo() throws IOException {
    crashedInARecycledSegment(saltedSegment(Zxid.of(1, 9), OLD_SALT, SEGMENT), 5);
    Path seg = last(crashed);
    List<Long> bounds = recordBounds(seg, -1);
    flip(seg, bounds.get(1) + SegmentFormat.RECORD_HEADER_BYTES); // the header check of the second record
    assertThatThrownBy(() -> TxnLog.open(crashed, options()).close()).isInstanceOf(CorruptLogException.class)
        .hasMessageContaining("record header check mismatch").hasMessageContaining("followed by a valid record");
  }

  @Test
  void aDamagedSaltIsDamageNotASegmentWhoseRecordsAllLookTorn() throws IOException {
    crashedInARecycledSegment(saltedSegment(Zxid.of(1, 9), OLD_SALT, SEGMENT), 5);
    Path seg = last(crashed);
    flip(seg, 21);
    TreeMap<String, String> before = contents(crashed);
    assertThatThrownBy(() -> TxnLog.open(crashed, options()).close()).isInstanceOf(CorruptLogException.class)
        .hasMessageContaining("salt checksum mismatch");
    assertThat(contents(crashed)).isEqualTo(before);
  }

  @Test
  void aCrashRightAfterTheRollLeavesARecycledSegmentWithOnlyItsHeader() throws IOException {
    Files.write(dir.resolve(SegmentRecycler.PREFIX + "0"), saltedSegment(Zxid.of(1, 9), OLD_SALT, SEGMENT));
    try (TxnLog log = TxnLog.open(dir, options())) {
      long c = 0;
      while (segmentFiles(dir).size() < 2) {
        c++;
        log.append(txn(1, c)); // the roll happens here, the txn that caused it is buffered, not written
      }
      assertThat(recordBounds(last(dir), -1)).as("header only").containsExactly(32L);
      crashCopy();
      Path seg = last(crashed);
      try (TxnLog again = TxnLog.open(crashed, options())) {
        assertThat(again.lastZxid()).isEqualTo(Zxid.of(1, c - 1));
        assertThat(Files.size(seg)).as("the old records after the header are cut").isEqualTo(32);
        append(again, c, c + 20);
      }
      try (TxnLog again = TxnLog.open(crashed, options())) {
        assertZxids(readAll(again, Zxid.ZERO), 1, 1, c + 20);
      }
    }
  }

  @Test
  void aCrashAfterTheHeaderIsWrittenBeforeTheRenameLeavesAPoolFileThatIsStillUsed() throws IOException {
    // the header of the segment after 0x1:0x9 written into the pool file, the rename not done
    Files.write(dir.resolve(SegmentRecycler.PREFIX + "0"), saltedSegment(Zxid.of(1, 9), OLD_SALT, SEGMENT));
    LogFiles.writeSegment(dir, SegmentFormat.VERSION_2, Zxid.ZERO, txn(1, 1), txn(1, 2));
    try (TxnLog log = TxnLog.open(dir, options())) {
      assertThat(log.lastZxid()).isEqualTo(Zxid.of(1, 2));
      append(log, 3, 12);
      assertThat(poolFiles(dir)).isEmpty();
      assertThat(salt(last(dir))).isNotEqualTo(OLD_SALT);
    }
    try (TxnLog log = TxnLog.open(dir, options())) {
      assertZxids(readAll(log, Zxid.ZERO), 1, 1, 12);
    }
  }

  @Test
  void aTruncateInsideARecycledSegmentDropsTheRecordsForGoodThoughTheyWereValidUnderItsSalt() throws IOException {
    Files.write(dir.resolve(SegmentRecycler.PREFIX + "0"), LogFiles.oldSegmentBytes(SEGMENT, 0));
    try (TxnLog log = TxnLog.open(dir, options())) {
      append(log, 1, 14);
      assertThat(poolFiles(dir)).isEmpty();
      Path seg = last(dir);
      long first = SegmentFormat.baseOf(seg).counter() + 1;
      assertThat(first).isLessThan(12);
      log.truncateAfter(Zxid.of(1, 12));
      crashCopy();
      log.append(new Txn(Zxid.of(2, 1), "new epoch".getBytes()));
      log.sync();
    }
    try (TxnLog log = TxnLog.open(crashed, options())) {
      assertThat(log.lastZxid()).as("0x1:0xd and 0x1:0xe do not come back").isEqualTo(Zxid.of(1, 12));
      log.append(new Txn(Zxid.of(2, 1), "after the crash".getBytes()));
      log.sync();
    }
    try (TxnLog log = TxnLog.open(crashed, options())) {
      List<Txn> all = readAll(log, Zxid.ZERO);
      assertThat(all).hasSize(13);
      assertThat(new String(all.get(12).data())).isEqualTo("after the crash");
    }
    try (TxnLog log = TxnLog.open(dir, options())) {
      assertThat(readAll(log, Zxid.of(1, 12))).extracting(Txn::zxid).containsExactly(Zxid.of(2, 1));
    }
  }

  @Test
  void aPoolFileShorterThanASegmentIsUsedAndGrownByAppendsButOneUnderHalfASegmentIsDeleted() throws IOException {
    int short_ = SEGMENT * 3 / 4;
    Files.write(dir.resolve(SegmentRecycler.PREFIX + "0"), saltedSegment(Zxid.of(1, 9), OLD_SALT, short_));
    Files.write(dir.resolve(SegmentRecycler.PREFIX + "1"), saltedSegment(Zxid.of(1, 9), OLD_SALT, SEGMENT / 2 - 1));
    try (TxnLog log = TxnLog.open(dir, options())) {
      assertThat(poolFiles(dir)).as("under half a segment: deleted").containsExactly(
          dir.resolve(SegmentRecycler.PREFIX + "0"));
      long c = 0;
      while (segmentFiles(dir).size() < 3) {
        c++;
        append(log, c, c);
      }
      Path recycled = segmentFiles(dir).get(1);
      assertThat(salt(recycled)).isNotEqualTo(OLD_SALT);
      assertThat(Files.size(recycled)).as("grown past the pool file's end").isGreaterThan(short_);
      append(log, c + 1, c + 3);
      crashCopy();
      try (TxnLog again = TxnLog.open(crashed, options())) {
        assertThat(again.lastZxid()).isEqualTo(Zxid.of(1, c + 3));
      }
    }
  }

  @Test
  void compactionKeepsAtMostThePoolSizeAndTheLogRollsIntoThem() throws IOException {
    int reused = 0;
    try (TxnLog log = TxnLog.open(dir, options())) {
      long c = 0;
      for (int round = 0; round < 10; round++) {
        int pool = poolFiles(dir).size();
        append(log, c + 1, c + 30);
        c += 30;
        assertThat(segmentFiles(dir).size()).isGreaterThan(3);
        int recycledSegments = 0;
        for (Path p : segmentFiles(dir)) {
          recycledSegments += version(p) == SegmentFormat.VERSION_4 ? 1 : 0;
        }
        assertThat(recycledSegments).as("round %d: the first rolls took the pool's files", round).isEqualTo(pool);
        reused += recycledSegments;
        log.deleteSegmentsBefore(Zxid.of(1, c - 1));
        assertThat(poolFiles(dir)).as("round %d: bounded", round).hasSize(2);
        assertThat(segmentFiles(dir)).hasSize(1);
      }
      crashCopy();
    }
    assertThat(reused).isEqualTo(9 * 2);
    try (TxnLog log = TxnLog.open(crashed, options())) {
      assertThat(log.lastZxid()).isEqualTo(Zxid.of(1, 300));
      assertZxids(readAll(log, log.baseZxid()), 1, log.baseZxid().counter() + 1, 300);
    }
    try (TxnLog log = TxnLog.open(crashed, options().withRecycling(false))) {
      assertThat(poolFiles(crashed)).as("recycling off: a pool left by an earlier run is deleted").isEmpty();
    }
  }

  /**
   * A reset to ZERO (as after installing a snapshot) keeps the dropped segments for reuse; the log then writes the very
   * zxids and payloads again into them, so after a crash each recycled segment's new records are followed by old ones
   * that continue them exactly, valid but under the old salt: they never come back.
   */
  @Test
  void aResetKeepsTheDroppedSegmentsForReuseAndTheirRecordsNeverComeBack() throws IOException {
    try (TxnLog log = TxnLog.open(dir, options())) {
      append(log, 1, 40);
      assertThat(segmentFiles(dir)).hasSizeGreaterThan(3);
      log.resetTo(Zxid.ZERO);
      assertThat(poolFiles(dir)).as("up to the pool's size kept, the rest deleted").hasSize(2);
      assertThat(segmentFiles(dir)).hasSize(1);
      long c = 0;
      while (segmentFiles(dir).size() < 2) {
        c++;
        append(log, c, c);
      }
      append(log, c + 1, c + 2); // a few records into the first recycled segment; old 0x1:c+3... follow them
      assertThat(version(last(dir))).isEqualTo(SegmentFormat.VERSION_4);
      assertThat(poolFiles(dir)).hasSize(1);
      crashCopy();
      long last = c + 2;
      try (TxnLog again = TxnLog.open(crashed, options())) {
        assertThat(again.lastZxid()).as("the old records after the new ones are not read").isEqualTo(Zxid.of(1, last));
        assertZxids(readAll(again, Zxid.ZERO), 1, 1, last);
      }
      append(log, last + 1, 40);
      assertThat(poolFiles(dir)).as("both taken").isEmpty();
    }
    try (TxnLog log = TxnLog.open(dir, options())) {
      assertZxids(readAll(log, Zxid.ZERO), 1, 1, 40);
    }
  }

  /** A truncate keeps the whole segments it drops for reuse too; their records (all after the cut) never come back. */
  @Test
  void aTruncateKeepsTheDroppedSegmentsForReuseAndTheirRecordsNeverComeBack() throws IOException {
    try (TxnLog log = TxnLog.open(dir, options())) {
      append(log, 1, 40);
      log.truncateAfter(Zxid.of(1, 3));
      assertThat(poolFiles(dir)).hasSize(2);
      assertThat(segmentFiles(dir)).hasSize(1);
      long c = 3;
      while (segmentFiles(dir).size() < 2) {
        c++;
        append(log, c, c);
      }
      append(log, c + 1, c + 1);
      assertThat(version(last(dir))).isEqualTo(SegmentFormat.VERSION_4);
      crashCopy();
      try (TxnLog again = TxnLog.open(crashed, options())) {
        assertZxids(readAll(again, Zxid.ZERO), 1, 1, c + 1);
      }
    }
  }

  @Test
  void theHeaderOfARecycledSegmentIsRefusedByNameByAZabOfBeforeVersion4() {
    // a zab of versions 1 to 3 checks the magic, the checksum of the first 16 bytes, then the version (in that order)
    ByteBuffer h = SegmentFormat.saltedHeader(Zxid.of(3, 7), 42);
    CRC32C crc = new CRC32C();
    crc.update(h.array(), 0, 16);
    assertThat(h.getInt(0)).isEqualTo(SegmentFormat.MAGIC);
    assertThat(h.getInt(16)).as("the old checksum passes, so the version is what it reports").isEqualTo(
        (int) crc.getValue());
    assertThat(h.getInt(4)).isEqualTo(4);
    assertThat(SegmentFormat.checkHeader(h)).isNull();
    assertThat(SegmentFormat.checkSalt(h)).isNull();
    h.put(25, (byte) (h.get(25) ^ 1));
    assertThat(SegmentFormat.checkSalt(h)).contains("salt checksum mismatch");
  }

  private static void flip(Path file, long offset) throws IOException {
    byte[] all = Files.readAllBytes(file);
    all[(int) offset] ^= 0x10;
    Files.write(file, all);
  }
}
