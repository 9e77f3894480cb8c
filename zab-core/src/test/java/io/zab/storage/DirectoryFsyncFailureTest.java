package io.zab.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.zab.FileSyncer;
import io.zab.Zxid;
import io.zab.wire.Txn;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every store fsyncs its directories through the node's {@link FileSyncer}: a failing one makes the operation throw,
 * naming the directory (nothing swallowed), so a node stops or retries instead of trusting a rename that may not
 * survive a crash.
 */
class DirectoryFsyncFailureTest {
  @TempDir Path dir;

  /** Really syncs until {@link #broken} is set; then every directory fsync fails. */
  static final class BreakableSyncer implements FileSyncer {
    final AtomicBoolean broken = new AtomicBoolean();

    @Override
    public void syncDirectory(Path d) throws IOException {
      if (broken.get()) {
        throw new IOException("disk failed (injected)");
      }
      FileSyncer.super.syncDirectory(d);
    }
  }

  final BreakableSyncer syncer = new BreakableSyncer();

  /** The failure names the directory and keeps the syncer's exception as its cause. */
  static void assertNamesDirectory(IOException e, Path d) {
    assertThat(e).hasMessageContaining("fsync of directory " + d).hasMessageContaining("disk failed (injected)");
    assertThat(e.getCause()).hasMessage("disk failed (injected)");
  }

  @Test
  void anEpochWhoseRenameCannotBeMadeDurableIsNotRecorded() throws IOException {
    Path epochs = dir.resolve("epochs");
    EpochStore store = EpochStore.open(epochs, 3, 2, syncer);
    syncer.broken.set(true);
    IOException e = catchThrowableOfType(() -> store.setAcceptedEpoch(4), IOException.class);
    assertNamesDirectory(e, epochs);
    assertThat(store.acceptedEpoch()).as("not announced").isEqualTo(3);
    assertThatThrownBy(() -> EpochStore.open(dir.resolve("fresh"), 1, 1, syncer)).isInstanceOf(IOException.class)
        .hasMessageContaining("fsync of directory " + dir); // creating it: its entry in the parent
  }

  @Test
  void snapshotCommitSetAsideAndRetirementSurfaceAFailedDirectoryFsync() throws IOException {
    Path snapshots = dir.resolve("snapshots");
    Path quarantine = dir.resolve("quarantine");
    SnapshotStore store = SnapshotStore.open(snapshots, syncer);
    write(store, Zxid.of(1, 5));
    write(store, Zxid.of(1, 9));
    Files.createDirectories(quarantine);
    syncer.broken.set(true);

    assertNamesDirectory(catchThrowableOfType(() -> write(store, Zxid.of(1, 12)), IOException.class), snapshots);
    assertNamesDirectory(catchThrowableOfType(() -> store.setAside(Zxid.of(1, 9), quarantine), IOException.class),
        quarantine);
    assertNamesDirectory(catchThrowableOfType(() -> store.deleteOlderThan(Zxid.of(1, 12)), IOException.class),
        snapshots);
    assertNamesDirectory(catchThrowableOfType(() -> SnapshotStore.open(snapshots, syncer), IOException.class),
        snapshots);
  }

  @Test
  void settingADamagedLogAsideSurfacesAFailedDirectoryFsync() throws IOException {
    Path log = dir.resolve("log");
    Path quarantine = dir.resolve("quarantine");
    TxnLogOptions small = TxnLogOptions.defaults().withSegmentBytes(400).withSyncer(syncer);
    try (TxnLog l = TxnLog.open(log, small)) {
      for (int c = 1; c <= 30; c++) {
        l.append(new Txn(Zxid.of(2, c), ("payload-" + (100 + c)).getBytes(StandardCharsets.UTF_8)));
      }
      l.sync();
    }
    flipLastByteOf(log, "payload-115");
    CorruptLogException damage = catchThrowableOfType(() -> TxnLog.open(log, small), CorruptLogException.class);
    LogQuarantine.Plan plan = LogQuarantine.inspect(log, damage);
    Files.createDirectories(quarantine);
    syncer.broken.set(true);

    assertNamesDirectory(catchThrowableOfType(() -> LogQuarantine.apply(plan, quarantine, syncer), IOException.class),
        quarantine);
    assertNamesDirectory(catchThrowableOfType(() -> LogQuarantine.setAsideAll(log, quarantine, syncer),
        IOException.class), quarantine);
  }

  @Test
  void theRepairMarkerSurfacesAFailedDirectoryFsync() throws IOException {
    RepairMarker.write(dir, new RepairMarker.Content(Zxid.of(2, 3), 2, "test"), syncer);
    syncer.broken.set(true);
    assertNamesDirectory(catchThrowableOfType(() -> RepairMarker.write(dir, new RepairMarker.Content(Zxid.of(2, 4), 2,
        "test"), syncer), IOException.class), dir);
    assertNamesDirectory(catchThrowableOfType(() -> RepairMarker.clear(dir, syncer), IOException.class), dir);
  }

  private static void write(SnapshotStore store, Zxid zxid) throws IOException {
    try (SnapshotWriter w = store.begin(zxid)) {
      w.output().write(new byte[] {1, 2, 3});
      w.commit();
    }
  }

  private static void flipLastByteOf(Path log, String payload) throws IOException {
    byte[] needle = payload.getBytes(StandardCharsets.UTF_8);
    for (Path f : Directories.list(log, SegmentFormat.GLOB).stream().sorted().toList()) {
      byte[] b = Files.readAllBytes(f);
      for (int i = 0; i + needle.length <= b.length; i++) {
        if (Arrays.equals(b, i, i + needle.length, needle, 0, needle.length)) {
          b[i + needle.length - 1] ^= 0x7f;
          Files.write(f, b);
          return;
        }
      }
    }
    throw new AssertionError("no segment holds " + payload + ": " + List.of(log));
  }
}
