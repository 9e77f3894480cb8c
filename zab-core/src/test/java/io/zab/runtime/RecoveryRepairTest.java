package io.zab.runtime;

import io.zab.FileSyncer;
import io.zab.fixtures.RecordingStateMachine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zab.Zxid;
import io.zab.protocol.PersistentState;
import io.zab.protocol.RepairPoint;
import io.zab.storage.EpochStore;
import io.zab.storage.RepairMarker;
import io.zab.storage.SnapshotStore;
import io.zab.storage.SnapshotWriter;
import io.zab.wire.SnapshotHeader;
import io.zab.storage.TxnLog;
import io.zab.storage.TxnLogOptions;
import io.zab.wire.Txn;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which damage start-up repairs from the ensemble and which it refuses (docs/protocol.md, repair; docs/operations.md,
 * corruption), and the repairing marker: durable, kept across restarts, refused when damaged.
 */
class RecoveryRepairTest {
  @TempDir
  Path dir;

  private static final TxnLogOptions SMALL_SEGMENTS = TxnLogOptions.defaults().withSegmentBytes(400);

  /** Logs epoch-2 txns 1..n with payload "payload-NNN" (several small segments) and epochs (2, 2). */
  private void writeLog(int n) throws IOException {
    EpochStore.open(dir.resolve("epochs"), 2, 2);
    Files.createDirectories(dir.resolve("snapshots"));
    try (TxnLog log = TxnLog.open(dir.resolve("log"), SMALL_SEGMENTS)) {
      for (int c = 1; c <= n; c++) {
        log.append(new Txn(Zxid.of(2, c), ("payload-" + (100 + c)).getBytes(StandardCharsets.UTF_8)));
      }
      log.sync();
    }
  }

  private Recovery.Recovered recover() throws IOException {
    Recovery.Recovered r = Recovery.run(1, dir, new RecordingStateMachine(), SMALL_SEGMENTS);
    r.log().close();
    return r;
  }

  @Test
  void aRecordFailingItsChecksumWithValidRecordsAfterItIsRepaired() throws Exception {
    writeLog(30);
    Path damaged = flipLastByteOf("payload-115");

    PersistentState s = recover().state();

    assertThat(s.logAfterSnapshot()).extracting(Txn::zxid).as("everything before the damage is kept")
        .containsExactlyElementsOf(zxids(1, 14));
    assertThat(s.repairing()).as("it had logged up to 0x2:0x1e (later segments prove it)")
        .isEqualTo(new RepairPoint(Zxid.of(2, 30), 2));
    RepairMarker.Content marker = RepairMarker.read(dir).orElseThrow();
    assertThat(marker.lastLogged()).isEqualTo(Zxid.of(2, 30));
    assertThat(marker.cause()).contains(damaged.getFileName().toString()).contains("offset")
        .contains("record checksum mismatch");
    try (Stream<Path> q = Files.list(dir.resolve(Recovery.QUARANTINE))) {
      List<String> names = q.map(p -> p.getFileName().toString()).toList();
      assertThat(names).anySatisfy(n -> assertThat(n).startsWith(damaged.getFileName() + ".damaged-at-"));
      assertThat(names).as("the later segments are set aside whole").anySatisfy(n -> assertThat(n).endsWith(
          ".after-damage"));
    }

    PersistentState again = recover().state();
    assertThat(again.repairing()).as("a restart during the repair keeps it repairing").isEqualTo(s.repairing());
    assertThat(again.logAfterSnapshot()).hasSize(14);
  }

  @Test
  void theRecordsAfterTheDamageInTheSameSegmentProveHowFarTheLogWent() throws Exception {
    writeLog(30);
    flipLastByteOf("payload-128"); // in the last segment: only the records after it there prove 0x2:0x1e

    PersistentState s = recover().state();

    assertThat(s.repairing()).isEqualTo(new RepairPoint(Zxid.of(2, 30), 2));
    assertThat(s.logAfterSnapshot()).extracting(Txn::zxid).containsExactlyElementsOf(zxids(1, 27));
  }

  /**
   * The newest snapshot fails its checksum and the log before it was compacted away: the txns in between are gone here,
   * so the server repairs (the leader sends them, or a snapshot) instead of refusing; the damaged snapshot and the
   * unusable log are set aside, never deleted.
   */
  @Test
  void aDamagedSnapshotWithTheLogBeforeItCompactedIsRepaired() throws Exception {
    writeLog(30);
    SnapshotStore store = SnapshotStore.open(dir.resolve("snapshots"));
    try (SnapshotWriter w = store.begin(Zxid.of(2, 20))) {
      w.output().write(SnapshotHeader.encode(null));
      new RecordingStateMachine().snapshot(w.output());
      w.commit();
    }
    try (TxnLog log = TxnLog.open(dir.resolve("log"), SMALL_SEGMENTS)) {
      log.deleteSegmentsBefore(Zxid.of(2, 20));
    }
    Path snapshot;
    try (Stream<Path> files = Files.list(dir.resolve("snapshots"))) {
      snapshot = files.filter(p -> !p.getFileName().toString().endsWith(".tmp")).findFirst().orElseThrow();
    }
    byte[] b = Files.readAllBytes(snapshot);
    b[b.length / 2] ^= 0x10;
    Files.write(snapshot, b);

    PersistentState s = recover().state();

    assertThat(s.repairing()).isEqualTo(new RepairPoint(Zxid.of(2, 30), 2));
    assertThat(s.snapshotZxid()).isEqualTo(Zxid.ZERO);
    assertThat(s.logAfterSnapshot()).isEmpty();
    try (Stream<Path> q = Files.list(dir.resolve(Recovery.QUARANTINE))) {
      List<String> names = q.map(p -> p.getFileName().toString()).toList();
      assertThat(names).contains(snapshot.getFileName() + ".damaged");
      assertThat(names).anySatisfy(n -> assertThat(n).endsWith(".after-damaged-snapshot"));
    }
    assertThat(recover().state().repairing()).as("still repairing after a restart").isEqualTo(s.repairing());
  }

  @Test
  void aTornTailIsCutWithoutARepair() throws Exception {
    writeLog(5);
    Path last;
    try (Stream<Path> files = Files.list(dir.resolve("log"))) {
      last = files.sorted().reduce((a, b) -> b).orElseThrow();
    }
    try (var ch = java.nio.channels.FileChannel.open(last, java.nio.file.StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() - 3);
    }

    PersistentState s = recover().state();

    assertThat(s.repairing()).isNull();
    assertThat(s.logAfterSnapshot()).hasSize(4);
    assertThat(Files.exists(dir.resolve(RepairMarker.FILE))).isFalse();
  }

  @Test
  void damageThatIsNotAFailedRecordIsStillRefusedAndNothingChanges() throws Exception {
    writeLog(30);
    Path segment;
    try (Stream<Path> files = Files.list(dir.resolve("log"))) {
      segment = files.sorted().toList().get(1);
    }
    Files.delete(segment); // a whole segment missing: a gap between segments, not a failed record

    assertThatThrownBy(this::recover).isInstanceOf(IOException.class).hasMessageContaining("refuses to start")
        .hasMessageContaining("does not continue the previous segment");
    assertThat(Files.exists(dir.resolve(RepairMarker.FILE))).isFalse();
    assertThat(Files.exists(dir.resolve(Recovery.QUARANTINE))).isFalse();
  }

  /** The records a repair set aside still count against stale epoch files (docs/protocol.md, epoch files). */
  @Test
  void epochFilesOlderThanWhatTheServerLoggedBeforeTheDamageAreStillRefused() throws Exception {
    writeLog(3); // epochs (2, 2), log up to 0x2:0x3
    RepairMarker.write(dir, new RepairMarker.Content(Zxid.of(5, 1), 5, "damaged at 0x2:0x4, had logged 0x5:0x1"),
        FileSyncer.SYSTEM);

    assertThatThrownBy(this::recover).isInstanceOf(IOException.class).hasMessageContaining("older than its data");
  }

  @Test
  void aDamagedMarkerIsRefusedNamingItNotGuessed() throws Exception {
    writeLog(3);
    RepairMarker.write(dir, new RepairMarker.Content(Zxid.of(2, 3), 2, "test"), FileSyncer.SYSTEM);
    byte[] b = Files.readAllBytes(dir.resolve(RepairMarker.FILE));
    b[12] ^= 0x01;
    Files.write(dir.resolve(RepairMarker.FILE), b);

    assertThatThrownBy(this::recover).isInstanceOf(IOException.class)
        .hasMessageContaining(dir.resolve(RepairMarker.FILE).toString()).hasMessageContaining("is damaged");
  }

  @Test
  void theMarkerSurvivesAsWrittenAndIsClearedDurably() throws Exception {
    RepairMarker.Content c = new RepairMarker.Content(Zxid.of(7, 0x1234), 9, "file x at byte offset 5: crc");
    RepairMarker.write(dir, c, FileSyncer.SYSTEM);
    assertThat(RepairMarker.read(dir)).contains(c);
    new RepairJournal(1, dir, FileSyncer.SYSTEM).done(new RepairPoint(c.lastLogged(), c.epoch()));
    assertThat(RepairMarker.read(dir)).isEmpty();
  }

  private static List<Zxid> zxids(long from, long to) {
    return java.util.stream.LongStream.rangeClosed(from, to).mapToObj(c -> Zxid.of(2, c)).toList();
  }

  private Path flipLastByteOf(String payload) throws IOException {
    byte[] needle = payload.getBytes(StandardCharsets.UTF_8);
    try (Stream<Path> files = Files.list(dir.resolve("log"))) {
      for (Path f : files.sorted().toList()) {
        byte[] b = Files.readAllBytes(f);
        for (int i = 0; i + needle.length <= b.length; i++) {
          if (java.util.Arrays.equals(b, i, i + needle.length, needle, 0, needle.length)) {
            b[i + needle.length - 1] ^= 0x7f;
            Files.write(f, b);
            return f;
          }
        }
      }
    }
    throw new AssertionError("no segment holds " + payload);
  }
}
