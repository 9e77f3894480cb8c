package io.zab.storage;

import static io.zab.storage.LogFiles.assertZxids;
import static io.zab.storage.LogFiles.contents;
import static io.zab.storage.LogFiles.readAll;
import static io.zab.storage.LogFiles.segmentFiles;
import static io.zab.storage.LogFiles.txn;
import static io.zab.storage.LogFiles.writeSegment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zab.Zxid;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TxnLogRecoveryTest {
  @TempDir Path dir;

  TxnLogOptions options() {
    return TxnLogOptions.defaults().withSegmentBytes(200);
  }

  /** Writes epoch-1 txns 1..n (several segments) and returns the record start offsets of the last segment. */
  List<Long> writeLog(int n) throws IOException {
    try (TxnLog log = TxnLog.open(dir, options())) {
      for (int c = 1; c <= n; c++) {
        log.append(txn(1, c));
      }
      log.sync();
    }
    return recordOffsets(last());
  }

  Path last() throws IOException {
    List<Path> files = segmentFiles(dir);
    return files.get(files.size() - 1);
  }

  static List<Long> recordOffsets(Path segment) throws IOException {
    List<Long> offsets = new ArrayList<>();
    try (SegmentScanner s = SegmentScanner.open(segment, -1, 1 << 20)) {
      offsets.add(s.position());
      while (s.next() != null) {
        offsets.add(s.position());
      }
    }
    offsets.remove(offsets.size() - 1); // the end of the last record is not a record start
    return offsets;
  }

  static void cut(Path file, long size) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(size);
    }
  }

  static void flipBit(Path file, long offset, int bit) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    bytes[(int) offset] ^= (byte) (1 << bit);
    Files.write(file, bytes);
  }

  void assertCorruptAndUntouched(Path file, long offset, String problem) throws IOException {
    TreeMap<String, String> before = contents(dir);
    ThrowingCallable open = () -> TxnLog.open(dir, options()).close();
    assertThatThrownBy(open)
        .isInstanceOfSatisfying(CorruptLogException.class, e -> {
          assertThat(e.file()).isEqualTo(file);
          assertThat(e.offset()).isEqualTo(offset);
        })
        .hasMessageContaining(file.toString())
        .hasMessageContaining("offset " + offset)
        .hasMessageContaining(problem);
    assertThat(contents(dir)).as("nothing modified or deleted").isEqualTo(before);
  }

  @Test
  void tornTailAtEveryByteOfTheLastRecordIsCutAndAppendsContinue() throws IOException {
    int n = 12;
    writeLog(n);
    Path last = last();
    long lastRecordStart = recordOffsets(last).get(recordOffsets(last).size() - 1);
    long fullSize = lastRecordStart + LogFiles.record(txn(1, n)).length; // the file may go on with zeros
    byte[] original = Files.readAllBytes(last);
    assertThat(fullSize - lastRecordStart).isGreaterThan(SegmentFormat.RECORD_HEADER_BYTES);
    for (long size = lastRecordStart; size < fullSize; size++) {
      Files.write(last, original);
      cut(last, size);
      try (TxnLog log = TxnLog.open(dir, options())) {
        assertThat(log.lastZxid()).as("cut at %d", size).isEqualTo(Zxid.of(1, n - 1));
        // cut back to the record's start, or (a first byte of zeros: version 3's end) left as zeros to overwrite
        assertThat(Files.size(last) == lastRecordStart
            || SegmentScanner.endOfNonZero(last, lastRecordStart, Files.size(last)) == lastRecordStart)
            .as("torn bytes gone at %d", size).isTrue();
        log.append(txn(1, n));
        log.sync();
      }
      try (TxnLog log = TxnLog.open(dir, options())) {
        assertZxids(readAll(log, Zxid.ZERO), 1, 1, n);
      }
    }
  }

  @Test
  void zerosAfterTheLastRecordOfAVersion2SegmentAreATornTail() throws IOException {
    Path last = writeSegment(dir, SegmentFormat.VERSION_2, Zxid.ZERO, txn(1, 1), txn(1, 2), txn(1, 3));
    long size = Files.size(last);
    Files.write(last, new byte[100], StandardOpenOption.APPEND); // zeros, as an extended-but-unwritten block
    try (TxnLog log = TxnLog.open(dir, options())) {
      assertThat(log.lastZxid()).isEqualTo(Zxid.of(1, 3));
    }
    assertThat(Files.size(last)).as("version 2 has no zero-filled end: cut as before").isEqualTo(size);
  }

  @Test
  void garbageAfterTheLastRecordIsATornTail() throws IOException {
    writeLog(5);
    Path last = last();
    long end = recordOffsets(last).get(recordOffsets(last).size() - 1) + LogFiles.record(txn(1, 5)).length;
    cut(last, end);
    Files.write(last, new byte[] {0, 0, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9},
        StandardOpenOption.APPEND); // a block written partly, not a record
    try (TxnLog log = TxnLog.open(dir, options())) {
      assertThat(log.lastZxid()).isEqualTo(Zxid.of(1, 5));
    }
    assertThat(Files.size(last)).isEqualTo(end);
  }

  @Test
  void aBitFlipInAnyRecordButTheLastIsCorruptionNamingFileAndOffset() throws IOException {
    writeLog(40);
    TreeMap<String, String> pristine = contents(dir);
    List<Path> files = segmentFiles(dir);
    int checked = 0;
    for (Path file : files) {
      List<Long> offsets = recordOffsets(file);
      for (int i = 0; i < offsets.size(); i++) {
        boolean lastRecordOfLog = file.equals(files.get(files.size() - 1)) && i == offsets.size() - 1;
        if (lastRecordOfLog) {
          continue;
        }
        long at = offsets.get(i);
        // alternate between a payload bit, a zxid bit and a length bit
        long target = switch (i % 3) {
          case 0 -> at + SegmentFormat.RECORD_HEADER_BYTES;
          case 1 -> at + 8;
          default -> at + 3;
        };
        flipBit(file, target, i % 8);
        assertCorruptAndUntouched(file, at, "");
        flipBit(file, target, i % 8);
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(30);
    assertThat(contents(dir)).isEqualTo(pristine);
    try (TxnLog log = TxnLog.open(dir, options())) {
      assertThat(log.lastZxid()).isEqualTo(Zxid.of(1, 40));
    }
  }

  @Test
  void aBadRecordFollowedByAValidOneInTheLastSegmentIsNotATornTail() throws IOException {
    Path file = writeSegment(dir, Zxid.ZERO, txn(1, 1), txn(1, 2), txn(1, 3));
    long second = recordOffsets(file).get(1);
    flipBit(file, second + SegmentFormat.RECORD_HEADER_BYTES + 1, 0);
    assertCorruptAndUntouched(file, second, "followed by a valid record");
  }

  @Test
  void zxidGapOnDiskIsCorruption() throws IOException {
    Path file = writeSegment(dir, Zxid.ZERO, txn(1, 1), txn(1, 2), txn(1, 4), txn(1, 5));
    assertCorruptAndUntouched(file, recordOffsets(file).get(2), "zxid gap");
  }

  @Test
  void nonIncreasingZxidOnDiskIsCorruption() throws IOException {
    Path file = writeSegment(dir, Zxid.ZERO, txn(2, 1), txn(2, 2), txn(1, 3));
    assertCorruptAndUntouched(file, recordOffsets(file).get(2), "non-increasing");
  }

  @Test
  void nonIncreasingLastRecordIsCorruptionNotATornTail() throws IOException {
    Path file = writeSegment(dir, Zxid.ZERO, txn(1, 1), txn(1, 2), txn(1, 2));
    assertCorruptAndUntouched(file, recordOffsets(file).get(2), "non-increasing");
  }

  @Test
  void gapBetweenSegmentsIsCorruption() throws IOException {
    writeSegment(dir, Zxid.ZERO, txn(1, 1), txn(1, 2));
    Path second = writeSegment(dir, Zxid.of(1, 3), txn(1, 4));
    assertCorruptAndUntouched(second, 8, "does not continue");
  }

  @Test
  void truncatedRecordInAnEarlierSegmentIsCorruption() throws IOException {
    writeLog(30);
    Path first = segmentFiles(dir).get(0);
    long size = Files.size(first);
    cut(first, size - 3);
    assertCorruptAndUntouched(first, damageOffset(first), "not the last");
  }

  private static long damageOffset(Path file) throws IOException {
    try (SegmentScanner s = SegmentScanner.open(file, -1, 1 << 20)) {
      while (s.next() != null) {
        // scan to the damage
      }
      return s.damage().offset();
    }
  }

  @Test
  void badSegmentHeaderIsCorruption() throws IOException {
    writeLog(3);
    Path file = segmentFiles(dir).get(0);
    flipBit(file, 1, 2);
    assertCorruptAndUntouched(file, 0, "magic");
  }

  @Test
  void headerBaseThatDisagreesWithTheFileNameIsCorruption() throws IOException {
    Path file = writeSegment(dir, Zxid.of(1, 0), txn(1, 1));
    Files.move(file, SegmentFormat.fileFor(dir, Zxid.ZERO));
    assertCorruptAndUntouched(SegmentFormat.fileFor(dir, Zxid.ZERO), 8, "does not match file name");
  }

  @Test
  void tornHeaderOfTheNewestSegmentIsDroppedAndItsBaseKept() throws IOException {
    writeLog(30);
    int segments = segmentFiles(dir).size();
    Path torn = SegmentFormat.fileFor(dir, Zxid.of(1, 30));
    Files.write(torn, new byte[] {0x5A, 0x41, 0x42});
    try (TxnLog log = TxnLog.open(dir, options())) {
      assertThat(log.lastZxid()).isEqualTo(Zxid.of(1, 30));
      log.append(txn(1, 31));
      log.sync();
    }
    assertThat(segmentFiles(dir).size()).isBetween(segments, segments + 1);

    Path alone = dir.resolve("alone");
    Files.createDirectories(alone);
    Files.write(SegmentFormat.fileFor(alone, Zxid.of(3, 9)), new byte[5]);
    try (TxnLog log = TxnLog.open(alone, options())) {
      assertThat(log.baseZxid()).isEqualTo(Zxid.of(3, 9));
    }
  }
}
