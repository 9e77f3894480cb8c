package io.zab.storage;

import static io.zab.storage.LogFiles.assertZxids;
import static io.zab.storage.LogFiles.readAll;
import static io.zab.storage.LogFiles.segmentFiles;
import static io.zab.storage.LogFiles.txn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zab.Zxid;
import io.zab.wire.Txn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TxnLogTest {
  @TempDir Path dir;
  final CountingSyncer syncer = new CountingSyncer();

  /** Small segments so that a few dozen records span several files. */
  TxnLogOptions smallSegments() {
    return TxnLogOptions.defaults().withSegmentBytes(200).withSyncer(syncer);
  }

  TxnLog open() throws IOException {
    return TxnLog.open(dir, smallSegments());
  }

  static void appendRange(TxnLog log, long epoch, long from, long to) throws IOException {
    for (long c = from; c <= to; c++) {
      log.append(txn(epoch, c));
    }
  }

  @Test
  void freshLogIsEmptyAtZero() throws IOException {
    try (TxnLog log = open()) {
      assertThat(log.lastZxid()).isEqualTo(Zxid.ZERO);
      assertThat(log.durableZxid()).isEqualTo(Zxid.ZERO);
      assertThat(log.baseZxid()).isEqualTo(Zxid.ZERO);
      assertThat(readAll(log, Zxid.ZERO)).isEmpty();
    }
  }

  @Test
  void appendIsDurableOnlyAfterSyncWithOneFsync() throws IOException {
    try (TxnLog log = open()) {
      int before = syncer.dataSyncs.get();
      log.append(txn(1, 1));
      log.append(txn(1, 2));
      assertThat(log.lastZxid()).isEqualTo(Zxid.of(1, 2));
      assertThat(log.durableZxid()).isEqualTo(Zxid.ZERO);
      assertThat(log.sync()).isEqualTo(Zxid.of(1, 2));
      assertThat(syncer.dataSyncs.get() - before).isEqualTo(1);
      assertThat(log.sync()).isEqualTo(Zxid.of(1, 2));
      assertThat(syncer.dataSyncs.get() - before).as("nothing new: no fsync").isEqualTo(1);
    }
  }

  @Test
  void reopenAfterRollsSeesEverythingAcrossSegments() throws IOException {
    try (TxnLog log = open()) {
      appendRange(log, 1, 1, 30);
      appendRange(log, 2, 1, 10);
      log.sync();
    }
    assertThat(segmentFiles(dir)).hasSizeGreaterThan(5);
    try (TxnLog log = open()) {
      assertThat(log.lastZxid()).isEqualTo(Zxid.of(2, 10));
      assertThat(log.durableZxid()).isEqualTo(Zxid.of(2, 10));
      List<Txn> all = readAll(log, Zxid.ZERO);
      assertThat(all).hasSize(40);
      assertThat(all.get(0)).isEqualTo(txn(1, 1));
      assertThat(all.get(39)).isEqualTo(txn(2, 10));
      assertThat(readAll(log, Zxid.of(1, 17))).isEqualTo(all.subList(17, 40));
      log.append(txn(2, 11));
      log.sync();
    }
  }

  @Test
  void readAfterStartsMidSegmentAndSeesUnsyncedAppends() throws IOException {
    try (TxnLog log = open()) {
      appendRange(log, 1, 1, 20);
      assertZxids(readAll(log, Zxid.of(1, 5)), 1, 6, 20);
      assertThat(readAll(log, Zxid.of(1, 20))).isEmpty();
    }
  }

  @Test
  void appendRefusesGapsAndNonIncreasingZxidsAndWritesNothing() throws IOException {
    try (TxnLog log = open()) {
      log.append(txn(1, 1));
      log.append(txn(1, 2));
      assertThatThrownBy(() -> log.append(txn(1, 4))).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("gap");
      assertThatThrownBy(() -> log.append(txn(1, 2))).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("non-increasing");
      assertThatThrownBy(() -> log.append(txn(0, 9))).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> log.append(txn(2, 0))).as("new epoch starts at counter 1")
          .isInstanceOf(IllegalArgumentException.class);
      log.append(txn(3, 7)); // a higher epoch may start at any counter above 0
      log.sync();
      assertThat(readAll(log, Zxid.ZERO)).containsExactly(txn(1, 1), txn(1, 2), txn(3, 7));
    }
  }

  @Test
  void appendRefusesOversizedPayload() throws IOException {
    try (TxnLog log = TxnLog.open(dir, TxnLogOptions.defaults().withMaxTxnBytes(8))) {
      assertThatThrownBy(() -> log.append(new Txn(Zxid.of(1, 1), new byte[9])))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxTxnBytes");
      assertThat(log.lastZxid()).isEqualTo(Zxid.ZERO);
    }
  }

  @Test
  void loweringMaxTxnBytesDoesNotTurnRecordsOnDiskIntoDamage() throws IOException {
    Txn big = new Txn(Zxid.of(1, 1), new byte[5000]);
    try (TxnLog log = open()) {
      log.append(big);
      log.sync();
    }
    try (TxnLog log = TxnLog.open(dir, smallSegments().withMaxTxnBytes(100))) {
      assertThat(log.lastZxid()).isEqualTo(Zxid.of(1, 1));
      assertThat(readAll(log, Zxid.ZERO)).containsExactly(big);
    }
  }

  @Test
  void truncateAcrossSegmentBoundariesIsDurableAndAppendsContinue() throws IOException {
    try (TxnLog log = open()) {
      appendRange(log, 1, 1, 40);
      log.sync();
      int segmentsBefore = segmentFiles(dir).size();
      log.truncateAfter(Zxid.of(1, 7));
      assertThat(log.lastZxid()).isEqualTo(Zxid.of(1, 7));
      assertThat(log.durableZxid()).isEqualTo(Zxid.of(1, 7));
      assertThat(segmentFiles(dir).size()).isLessThan(segmentsBefore);
      assertZxids(readAll(log, Zxid.ZERO), 1, 1, 7);
      log.append(txn(2, 1));
      log.sync();
    }
    try (TxnLog log = open()) {
      List<Txn> all = readAll(log, Zxid.ZERO);
      assertThat(all).hasSize(8);
      assertThat(all.get(7)).isEqualTo(txn(2, 1));
    }
  }

  @Test
  void truncateAtASegmentBaseKeepsThePreviousSegmentWhole() throws IOException {
    try (TxnLog log = open()) {
      appendRange(log, 1, 1, 40);
      log.sync();
      Zxid secondBase = SegmentFormat.baseOf(segmentFiles(dir).get(1));
      log.truncateAfter(secondBase);
      assertThat(segmentFiles(dir)).hasSize(1);
      assertZxids(readAll(log, Zxid.ZERO), 1, 1, secondBase.counter());
    }
  }

  @Test
  void truncateOfUnsyncedTailAndNoOpTruncate() throws IOException {
    try (TxnLog log = open()) {
      appendRange(log, 1, 1, 3);
      log.truncateAfter(Zxid.of(1, 9)); // beyond the end: nothing to do
      assertThat(log.lastZxid()).isEqualTo(Zxid.of(1, 3));
      log.truncateAfter(Zxid.of(1, 1));
      assertZxids(readAll(log, Zxid.ZERO), 1, 1, 1);
      log.truncateAfter(Zxid.ZERO);
      assertThat(readAll(log, Zxid.ZERO)).isEmpty();
      assertThat(log.lastZxid()).isEqualTo(Zxid.ZERO);
    }
  }

  @Test
  void resetToDropsEverythingAndNextAppendMustFollowBase() throws IOException {
    try (TxnLog log = open()) {
      appendRange(log, 1, 1, 30);
      log.sync();
      log.resetTo(Zxid.of(4, 100));
      assertThat(segmentFiles(dir)).hasSize(1);
      assertThat(log.baseZxid()).isEqualTo(Zxid.of(4, 100));
      assertThat(log.lastZxid()).isEqualTo(Zxid.of(4, 100));
      assertThatThrownBy(() -> log.append(txn(4, 102))).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> log.readAfter(Zxid.of(1, 3))).isInstanceOf(IllegalArgumentException.class);
      log.append(txn(4, 101));
      log.sync();
    }
    try (TxnLog log = open()) {
      assertThat(log.baseZxid()).isEqualTo(Zxid.of(4, 100));
      assertThat(readAll(log, Zxid.of(4, 100))).containsExactly(txn(4, 101));
    }
  }

  @Test
  void resetOfAnEmptyLogSurvivesReopen() throws IOException {
    try (TxnLog log = open()) {
      log.resetTo(Zxid.of(2, 5));
    }
    try (TxnLog log = open()) {
      assertThat(log.baseZxid()).isEqualTo(Zxid.of(2, 5));
      assertThat(log.lastZxid()).isEqualTo(Zxid.of(2, 5));
    }
  }

  @Test
  void deleteSegmentsBeforeKeepsEverySegmentWithATxnAfterTheSnapshot() throws IOException {
    try (TxnLog log = open()) {
      appendRange(log, 1, 1, 40);
      log.sync();
      List<Path> before = segmentFiles(dir);
      Zxid thirdBase = SegmentFormat.baseOf(before.get(2));
      log.deleteSegmentsBefore(thirdBase.next()); // segment 2 still holds txns after the snapshot
      assertThat(segmentFiles(dir)).isEqualTo(before.subList(2, before.size()));
      assertThat(log.baseZxid()).isEqualTo(thirdBase);
      assertZxids(readAll(log, thirdBase), 1, thirdBase.counter() + 1, 40);
      log.deleteSegmentsBefore(Zxid.of(9, 9)); // beyond everything: the active segment stays
      assertThat(segmentFiles(dir)).hasSize(1);
      assertThat(log.lastZxid()).isEqualTo(Zxid.of(1, 40));
      log.append(txn(1, 41));
      log.sync();
    }
    try (TxnLog log = open()) {
      assertThat(log.lastZxid()).isEqualTo(Zxid.of(1, 41));
      assertThatThrownBy(() -> log.truncateAfter(Zxid.of(1, 1))).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void newSegmentsFsyncTheirDirectory() throws IOException {
    try (TxnLog log = open()) {
      int before = syncer.directorySyncs.get();
      appendRange(log, 1, 1, 40);
      int rolls = segmentFiles(dir).size() - 1;
      assertThat(rolls).isPositive();
      assertThat(syncer.directorySyncs.get() - before).isEqualTo(rolls);
    }
  }

  @Test
  void segmentFilesAreNamedByBaseZxidAndStartWithAHeader() throws IOException {
    try (TxnLog log = open()) {
      log.append(txn(1, 1));
      log.sync();
    }
    Path first = segmentFiles(dir).get(0);
    assertThat(first.getFileName().toString()).isEqualTo("log.0000000000000000");
    byte[] bytes = Files.readAllBytes(first);
    assertThat(new String(bytes, 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("ZABL");
  }
}
