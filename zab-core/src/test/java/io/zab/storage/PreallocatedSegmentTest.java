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
import io.zab.wire.Txn;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12: segments after the first are preallocated with zeros (format version 3), so recovery tells their end by a
 * zero-filled tail. Each test crashes the log in one state (the files are copied while the log is open, as a
 * killed process leaves them; every write below was fsynced first) and checks what reopening makes of it: a zero tail
 * is the end, a torn record is cut as always, damage followed by a valid record is refused untouched.
 */
class PreallocatedSegmentTest {
  private static final long SEGMENT = 256;

  @TempDir Path dir;
  @TempDir Path crashed;
  final CountingSyncer syncer = new CountingSyncer();

  TxnLogOptions options() {
    return TxnLogOptions.defaults().withSegmentBytes(SEGMENT).withSyncer(syncer).withPreallocation(true);
  }

  /** Appends and syncs epoch-1 txns from..to. */
  static void append(TxnLog log, long from, long to) throws IOException {
    for (long c = from; c <= to; c++) {
      log.append(txn(1, c));
    }
    log.sync();
  }

  /** The log's files as a process killed now leaves them (the page cache survives a process crash). */
  Path crashCopy() throws IOException {
    return LogFiles.copyFiles(dir, crashed);
  }

  static Path last(Path d) throws IOException {
    List<Path> files = segmentFiles(d);
    return files.get(files.size() - 1);
  }

  /** Offset just past the last record of {@code file}, and the start of that record. */
  static long[] lastRecord(Path file) throws IOException {
    long start = -1;
    try (SegmentScanner s = SegmentScanner.open(file, -1, 1 << 20)) {
      long at = s.position();
      for (Txn t = s.next(); t != null; t = s.next()) {
        start = at;
        at = s.position();
      }
      assertThat(s.damage()).isNull();
      return new long[] {start, at};
    }
  }

  static void overwrite(Path file, long offset, byte[] bytes) throws IOException {
    byte[] all = Files.readAllBytes(file);
    System.arraycopy(bytes, 0, all, (int) offset, bytes.length);
    Files.write(file, all);
  }

  /** A log of txns 1..n, open; the segment it writes to is preallocated and has unused zeros at its end. */
  TxnLog logInAPreallocatedSegment(int n) throws IOException {
    TxnLog log = TxnLog.open(dir, options());
    append(log, 1, n);
    Path active = last(dir);
    assertThat(Files.size(active)).as("rolled into a preallocated segment").isEqualTo(SEGMENT);
    assertThat(lastRecord(active)[1]).as("with zeros after its last record").isLessThan(SEGMENT - 20);
    return log;
  }

  /** The active segment of a copy of {@link #logInAPreallocatedSegment} taken while the log was open. */
  Path crashedInAPreallocatedSegment(int n) throws IOException {
    try (TxnLog log = logInAPreallocatedSegment(n)) {
      crashCopy();
    }
    return last(crashed);
  }

  @Test
  void theSegmentsAreWrittenWithZerosOnThreadsOfTheOptionsNamedAfterTheServer() throws IOException {
    List<String> names = new CopyOnWriteArrayList<>();
    ThreadFactory server7 = options().forServer(7).threads();
    try (TxnLog log = TxnLog.open(dir, options().withThreads(r -> {
      Thread t = server7.newThread(r);
      names.add(t.getName());
      return t;
    }))) {
      append(log, 1, 40); // rolls into preallocated segments, each prepared on a thread of its own
      assertThat(segmentFiles(dir)).hasSizeGreaterThan(2);
    }
    assertThat(names).isNotEmpty().allMatch("zab-log-preallocate-7"::equals);
  }

  @Test
  void theZeroTailAfterTheLastRecordIsTheEndAndAppendsAfterARestartOverwriteIt() throws IOException {
    Path active = crashedInAPreallocatedSegment(12);
    long end = lastRecord(active)[1];
    int syncsBefore = syncer.dataSyncs.get();
    try (TxnLog log = TxnLog.open(crashed, options())) {
      assertThat(log.lastZxid()).isEqualTo(Zxid.of(1, 12));
      assertThat(Files.size(active)).as("nothing cut: the zeros are the end, not a tear").isEqualTo(SEGMENT);
      log.append(txn(1, 13));
      log.sync();
      assertThat(Files.size(active)).as("written into the zeros, not past them").isEqualTo(SEGMENT);
      assertThat(lastRecord(active)[0]).as("the new record starts where the zeros started").isEqualTo(end);
    }
    assertThat(syncer.dataSyncs.get()).isGreaterThan(syncsBefore);
    try (TxnLog log = TxnLog.open(crashed, options())) {
      assertZxids(readAll(log, Zxid.ZERO), 1, 1, 13);
    }
  }

  @Test
  void aZeroTailShorterThanARecordHeaderIsTheEndToo() throws IOException {
    Path active = crashedInAPreallocatedSegment(12);
    long end = lastRecord(active)[1];
    TxnLogRecoveryTest.cut(active, end + 5); // five zero bytes: less than a record header
    assertReopensAtThenAppends(12, 13);
  }

  /** Reopening the crashed log ends it at 0x1:last; appends up to 0x1:appendTo are all read after another restart. */
  void assertReopensAtThenAppends(long last, long appendTo) throws IOException {
    assertReopensAtThenAppends(crashed, last, appendTo);
  }

  /** {@link #assertReopensAtThenAppends(long, long)} for the log in {@code d}. */
  void assertReopensAtThenAppends(Path d, long last, long appendTo) throws IOException {
    try (TxnLog log = TxnLog.open(d, options())) {
      assertThat(log.lastZxid()).isEqualTo(Zxid.of(1, last));
      assertZxids(readAll(log, Zxid.ZERO), 1, 1, last);
      append(log, last + 1, appendTo);
    }
    try (TxnLog log = TxnLog.open(d, options())) {
      assertZxids(readAll(log, Zxid.ZERO), 1, 1, appendTo);
    }
  }

  @Test
  void aTornRecordFollowedByZerosIsCut() throws IOException {
    Path active = crashedInAPreallocatedSegment(12);
    long[] rec = lastRecord(active);
    // the record's header reached the disk, the page with the rest of it did not: its payload reads as zeros
    overwrite(active, rec[0] + SegmentFormat.RECORD_HEADER_BYTES, new byte[(int) (rec[1] - rec[0]
        - SegmentFormat.RECORD_HEADER_BYTES)]);
    try (TxnLog log = TxnLog.open(crashed, options())) {
      assertThat(Files.size(active)).as("cut at the torn record").isEqualTo(rec[0]);
    }
    assertReopensAtThenAppends(11, 14);
  }

  @Test
  void aLastRecordWhoseBytesAreHalfZeroIsATornTail() throws IOException {
    Path active = crashedInAPreallocatedSegment(12);
    long[] rec = lastRecord(active);
    byte[] original = Files.readAllBytes(active);
    // first half zero (length, checksum and half the zxid), then the second half zero
    long half = (rec[1] - rec[0]) / 2;
    for (long[] zeroed : new long[][] {{rec[0], rec[0] + half}, {rec[0] + half, rec[1]}}) {
      Files.write(active, original);
      overwrite(active, zeroed[0], new byte[(int) (zeroed[1] - zeroed[0])]);
      try (TxnLog log = TxnLog.open(crashed, options())) {
        assertThat(log.lastZxid()).as("zeros at [%d, %d)", zeroed[0], zeroed[1]).isEqualTo(Zxid.of(1, 11));
      }
    }
  }

  @Test
  void aRecordHalfZeroInTheMiddleIsDamageNotTheEnd() throws IOException {
    Path active = crashedInAPreallocatedSegment(12);
    long first = firstRecordStart(active);
    long second = nextRecordStart(active, first);
    overwrite(active, first, new byte[(int) (second - first) / 2]);
    assertRefusedUntouched(active, first, "followed by a valid record");
  }

  @Test
  void aWholeRecordOfZerosInTheMiddleIsDamageNotTheEnd() throws IOException {
    Path active = crashedInAPreallocatedSegment(12);
    long first = firstRecordStart(active);
    overwrite(active, first, new byte[(int) (nextRecordStart(active, first) - first)]);
    assertRefusedUntouched(active, first, "zero-filled record header");
  }

  @Test
  void damageFollowedByAValidRecordWhosePayloadIsZerosIsStillFound() throws IOException {
    // the valid record's payload lies in the zero tail, which recovery does not read into memory
    Txn zeros = new Txn(Zxid.of(1, 3), new byte[40]);
    Path file = writeSegment(crashed, Zxid.ZERO, txn(1, 1), txn(1, 2), zeros);
    Files.write(file, new byte[100], java.nio.file.StandardOpenOption.APPEND);
    long second = nextRecordStart(file, firstRecordStart(file));
    overwrite(file, second + SegmentFormat.RECORD_HEADER_BYTES, new byte[] {(byte) 0xFF});
    assertRefusedUntouched(file, second, "followed by a valid record");
    LogQuarantine.Plan plan = LogQuarantine.inspect(crashed,
        catchCorrupt(() -> TxnLog.open(crashed, options()).close()));
    assertThat(plan.lastProvable()).as("the record after the damage proves 0x1:0x3 was logged")
        .isEqualTo(Zxid.of(1, 3));
  }

  @Test
  void aTruncateInAPreallocatedSegmentSurvivesACrashAndAppendsContinue() throws IOException {
    try (TxnLog log = logInAPreallocatedSegment(12)) {
      Path active = last(dir);
      log.truncateAfter(Zxid.of(1, 10));
      assertThat(last(dir)).isEqualTo(active);
      crashCopy();
      log.append(new Txn(Zxid.of(2, 1), "new epoch".getBytes()));
      log.sync();
    }
    try (TxnLog log = TxnLog.open(crashed, options())) {
      assertZxids(readAll(log, Zxid.ZERO), 1, 1, 10);
      log.append(new Txn(Zxid.of(2, 1), "after the crash".getBytes()));
      log.sync();
    }
    try (TxnLog log = TxnLog.open(dir, options())) {
      List<Txn> all = readAll(log, Zxid.ZERO);
      assertThat(all).hasSize(11);
      assertThat(all.get(10).zxid()).isEqualTo(Zxid.of(2, 1));
    }
    try (TxnLog log = TxnLog.open(crashed, options())) {
      assertThat(readAll(log, Zxid.of(1, 10))).extracting(t -> new String(t.data())).containsExactly("after the crash");
    }
  }

  @Test
  void rollingInstallsAPreallocatedSegmentWithItsHeaderDurableAndLeavesOlderSegmentsTight() throws IOException {
    try (TxnLog log = TxnLog.open(dir, options())) {
      append(log, 1, 40);
      List<Path> files = segmentFiles(dir);
      assertThat(files).hasSizeGreaterThan(3);
      assertThat(Files.size(files.get(0))).as("the first segment grows by appends").isLessThan(SEGMENT);
      for (Path older : files.subList(1, files.size() - 1)) {
        assertThat(Files.size(older)).as("an older segment ends at its last record").isEqualTo(lastRecord(older)[1]);
      }
      assertThat(Files.size(last(dir))).isEqualTo(SEGMENT);
      // a crash while the next segment is being prepared leaves the temp file, never a segment without header
      Files.write(dir.resolve(SegmentPreallocator.FILE_NAME), new byte[10]);
      crashCopy();
    }
    assertThat(dir.resolve(SegmentPreallocator.FILE_NAME)).as("closing deletes it").doesNotExist();
    try (TxnLog log = TxnLog.open(crashed, options())) {
      assertThat(crashed.resolve(SegmentPreallocator.FILE_NAME)).as("opening deletes a leftover").doesNotExist();
    }
    assertReopensAtThenAppends(40, 60);
  }

  @Test
  void appendsToAPreallocatedSegmentSyncDataOnlyAndTheDirectoryOnlyWhenASegmentIsCreated() throws IOException {
    try (TxnLog log = logInAPreallocatedSegment(12)) {
      int dirSyncs = syncer.directorySyncs.get();
      int segments = segmentFiles(dir).size();
      append(log, 13, 13);
      append(log, 14, 14);
      assertThat(segmentFiles(dir)).hasSize(segments);
      assertThat(syncer.directorySyncs.get()).isEqualTo(dirSyncs);
      append(log, 15, 40);
      assertThat(segmentFiles(dir).size()).isGreaterThan(segments);
      assertThat(syncer.directorySyncs.get()).isGreaterThan(dirSyncs);
    }
  }

  @Test
  void whenPreallocationFailsTheLogRollsToAnAppendGrownSegmentAndLosesNothing() throws IOException {
    Path obstacle = dir.resolve(SegmentPreallocator.FILE_NAME);
    try (TxnLog log = TxnLog.open(dir, options())) {
      // a non-empty directory where the temp file goes: preparing and cleaning up both fail
      Files.createDirectories(obstacle.resolve("x"));
      append(log, 1, 40);
      List<Path> files = segmentFiles(dir);
      assertThat(files).hasSizeGreaterThan(3);
      for (Path p : files) {
        assertThat(Files.size(p)).as("append-grown %s", p).isEqualTo(lastRecord(p)[1]);
      }
      assertZxids(readAll(log, Zxid.ZERO), 1, 1, 40);
    }
    Files.delete(obstacle.resolve("x"));
    assertReopensAtThenAppends(dir, 40, 60);
  }

  @Test
  void withoutPreallocationSegmentsGrowByAppendsAndReadTheSame() throws IOException {
    try (TxnLog log = TxnLog.open(dir, options().withPreallocation(false))) {
      append(log, 1, 40);
      for (Path p : segmentFiles(dir)) {
        assertThat(Files.size(p)).isEqualTo(lastRecord(p)[1]);
      }
    }
    assertReopensAtThenAppends(dir, 40, 60);
  }

  @Test
  void onlyPreallocatedSegmentsHaveVersion3AndAVersion2LogIsAppendedToAndRolledFrom() throws IOException {
    writeSegment(dir, SegmentFormat.VERSION_2, Zxid.ZERO, txn(1, 1), txn(1, 2));
    try (TxnLog log = TxnLog.open(dir, options())) {
      append(log, 3, 40);
    }
    List<Path> files = segmentFiles(dir);
    for (Path p : files) {
      try (SegmentScanner s = SegmentScanner.open(p, -1, 1 << 20)) {
        // the first segment (written before, then appended to) grows by appends; the rolled-to ones are preallocated
        assertThat(s.version()).as("%s", p).isEqualTo(p.equals(files.get(0)) ? SegmentFormat.VERSION_2
            : SegmentFormat.VERSION);
      }
    }
    try (TxnLog log = TxnLog.open(dir, options().withPreallocation(false))) {
      append(log, 41, 60);
    }
    try (SegmentScanner s = SegmentScanner.open(last(dir), -1, 1 << 20)) {
      assertThat(s.version()).as("without preallocation, new segments are version 2").isEqualTo(SegmentFormat.VERSION_2);
    }
    assertReopensAtThenAppends(dir, 60, 61);
  }

  private static long firstRecordStart(Path file) {
    return SegmentFormat.HEADER_BYTES;
  }

  private static long nextRecordStart(Path file, long start) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
    return start + SegmentFormat.RECORD_HEADER_BYTES + b.getInt((int) start);
  }

  private void assertRefusedUntouched(Path file, long offset, String problem) throws IOException {
    TreeMap<String, String> before = contents(crashed);
    CorruptLogException e = catchCorrupt(() -> TxnLog.open(crashed, options()).close());
    assertThat(e.file()).isEqualTo(file);
    assertThat(e.offset()).isEqualTo(offset);
    assertThat(e).hasMessageContaining(problem).hasMessageContaining(file.toString());
    assertThat(contents(crashed)).as("nothing modified or deleted").isEqualTo(before);
  }

  interface Opening {
    void run() throws IOException;
  }

  private static CorruptLogException catchCorrupt(Opening open) {
    try {
      open.run();
    } catch (CorruptLogException e) {
      return e;
    } catch (IOException e) {
      throw new AssertionError("expected CorruptLogException", e);
    }
    throw new AssertionError("expected CorruptLogException, the log opened");
  }
}
