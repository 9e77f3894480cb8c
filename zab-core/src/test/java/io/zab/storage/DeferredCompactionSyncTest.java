package io.zab.storage;

import static io.zab.storage.LogFiles.poolFiles;
import static io.zab.storage.LogFiles.segmentFiles;
import static io.zab.storage.PreallocatedSegmentTest.append;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zab.Zxid;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12: a compaction drops its segments on the log's thread and leaves the directory fsync to another thread
 * ({@link PendingDirectorySync}); what that fsync guaranteed still holds while it has not run.
 */
class DeferredCompactionSyncTest {
  private static final int SEGMENT = 256;

  @TempDir Path dir;
  final CountingSyncer syncer = new CountingSyncer();

  TxnLogOptions options() {
    return TxnLogOptions.defaults().withSegmentBytes(SEGMENT).withSyncer(syncer).withRecycledFiles(2);
  }

  @Test
  void dropsOnTheLogsThreadAndLeavesTheDirectoryFsyncToTheCaller() throws IOException {
    try (TxnLog log = TxnLog.open(dir, options().withRecycledFiles(1))) {
      append(log, 1, 30);
      int segments = segmentFiles(dir).size();
      int before = syncer.directorySyncs.get();

      PendingDirectorySync sync = log.dropSegmentsBefore(Zxid.of(1, 29));

      assertThat(syncer.directorySyncs.get()).as("no directory fsync on the log's thread").isEqualTo(before);
      assertThat(segmentFiles(dir)).hasSize(1);
      assertThat(poolFiles(dir)).as("one recycled, the others deleted").hasSize(1);
      assertThat(segments).isGreaterThan(2);
      assertThat(sync.due()).isTrue();
      sync.run();
      assertThat(syncer.directorySyncs.get()).isEqualTo(before + 1);
      assertThat(log.dropSegmentsBefore(Zxid.of(1, 29)).due()).as("nothing more to drop").isFalse();
    }
  }

  /**
   * The move of a segment file into the pool must be durable before its header is overwritten as a new segment's:
   * else a crash could bring back the old segment name on a file whose header names another base (damage to
   * recovery). A roll that takes such a file before the compaction's fsync ran fsyncs the directory itself first.
   */
  @Test
  void aRollIntoAPoolFileWhoseMoveIsNotDurableYetFsyncsTheDirectoryFirst() throws IOException {
    int afterSync = directorySyncsOfRollsAfterCompaction(true);
    int beforeSync = directorySyncsOfRollsAfterCompaction(false);

    assertThat(beforeSync).as("one more: before the first pool file is overwritten").isEqualTo(afterSync + 1);
  }

  private int directorySyncsOfRollsAfterCompaction(boolean runTheSyncFirst) throws IOException {
    Path d = dir.resolve(runTheSyncFirst ? "synced" : "pending");
    try (TxnLog log = TxnLog.open(d, options())) {
      append(log, 1, 30);
      PendingDirectorySync sync = log.dropSegmentsBefore(Zxid.of(1, 29));
      assertThat(poolFiles(d)).hasSize(2);
      if (runTheSyncFirst) {
        sync.run();
      }
      int before = syncer.directorySyncs.get();
      append(log, 31, 60); // rolls into both pool files, then into new ones
      assertThat(poolFiles(d)).isEmpty();
      int rolls = syncer.directorySyncs.get() - before;
      if (!runTheSyncFirst) {
        sync.run(); // late: harmless
      }
      return rolls;
    }
  }

  @Test
  void aFailedDeferredFsyncFailsTheLogAtItsNextCommand() throws IOException {
    DirectoryFsyncFailureTest.BreakableSyncer breakable = new DirectoryFsyncFailureTest.BreakableSyncer();
    try (TxnLog log = TxnLog.open(dir, options().withSyncer(breakable))) {
      append(log, 1, 30);
      PendingDirectorySync sync = log.dropSegmentsBefore(Zxid.of(1, 29));
      breakable.broken.set(true);

      assertThatThrownBy(sync::run).isInstanceOf(IOException.class).hasMessageContaining("fsync of directory");
      assertThatThrownBy(() -> append(log, 31, 31)).isInstanceOf(LogFailedException.class)
          .hasRootCauseMessage("disk failed (injected)");
    }
  }
}
