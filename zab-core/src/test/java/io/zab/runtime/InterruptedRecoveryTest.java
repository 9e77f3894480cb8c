package io.zab.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.ZabNode;
import io.zab.fixtures.LocalCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restarts after a crash in the middle of a multi-step storage change. The state machine's applied list is
 * compared whole, so a txn applied twice or skipped after the restart fails the test.
 */
class InterruptedRecoveryTest {
  @TempDir
  Path dir;

  @AutoClose
  private LocalCluster cluster;

  private final List<String> acked = new ArrayList<>();

  private void write(long on, int n, String prefix) throws Exception {
    for (int i = 0; i < n; i++) {
      cluster.write(on, prefix + i);
      acked.add(prefix + i);
    }
  }

  @Test
  void aLogResetCutOffAfterItDeletedTheSegmentsIsRedoneOnStartAndLosesNothing() throws Exception {
    cluster = new LocalCluster(dir, 3, b -> b.snapshotEveryTxns(5)).startAll();
    ZabNode leader = cluster.awaitLeader();
    write(leader.serverId(), 22, "a");
    cluster.awaitApplied(cluster.ids(), acked);
    long follower = cluster.ids().stream().filter(id -> id != leader.serverId()).findFirst().orElseThrow();
    cluster.stop(follower);
    // resetTo deletes every segment, then creates the new one: a crash in between leaves no segment at all, so
    // the log reopens with base ZERO below the snapshots.
    deleteFiles(dir.resolve("server-" + follower).resolve("log"));

    restartTwiceLosingNothing(follower, leader.serverId());
  }

  @Test
  void ZOOKEEPER_3642_aSnapshotInstallCutOffBeforeTheLogResetRecoversOnRestart() throws Exception {
    cluster = new LocalCluster(dir, 3, b -> b.snapshotEveryTxns(5)).startAll();
    ZabNode leader = cluster.awaitLeader();
    long follower = cluster.ids().stream().filter(id -> id != leader.serverId()).findFirst().orElseThrow();
    write(leader.serverId(), 3, "a");
    cluster.awaitApplied(cluster.ids(), acked);
    cluster.stop(follower);
    write(leader.serverId(), 17, "b"); // committed by the other two, with snapshots past the follower's log
    cluster.awaitApplied(List.of(leader.serverId()), acked);

    // The follower crashed right after storing the leader's snapshot, before resetting its log behind it.
    Path leaderSnapshots = dir.resolve("server-" + leader.serverId()).resolve("snapshots");
    Path followerSnapshots = dir.resolve("server-" + follower).resolve("snapshots");
    int copied = 0;
    try (Stream<Path> files = Files.list(leaderSnapshots)) {
      for (Path p : files.filter(p -> !p.toString().endsWith(".tmp")).toList()) {
        try {
          Files.copy(p, followerSnapshots.resolve(p.getFileName()));
          copied++;
        } catch (java.nio.file.NoSuchFileException retired) {
          // the leader's snapshot thread wrote a newer one meanwhile and the older was retired: skip it
        }
      }
    }
    assertThat(copied).as("snapshots of the leader copied").isPositive();

    restartTwiceLosingNothing(follower, leader.serverId());
    assertThat(cluster.sm(follower).restores()).as("restored from the snapshot once, at start").isEqualTo(1);
  }

  @Test
  void startCompactsTheLogOnlyBelowTheSnapshotItRestoredNotBelowDamagedNewerOnes() throws Exception {
    cluster = new LocalCluster(dir, 3, b -> b.snapshotEveryTxns(10).logSegmentBytes(1024)).startAll();
    ZabNode leader = cluster.awaitLeader();
    write(leader.serverId(), 45, "a" + "x".repeat(100));
    cluster.awaitApplied(cluster.ids(), acked);
    long follower = cluster.ids().stream().filter(id -> id != leader.serverId()).findFirst().orElseThrow();
    Path snapshots = dir.resolve("server-" + follower).resolve("snapshots");
    LocalCluster.awaitCondition(LocalCluster.WAIT, () -> snapshotFiles(snapshots).size() == 2, () -> "two snapshots");
    cluster.stop(follower);

    // The newest snapshot rots, and a damaged one with a newer name appears: the start must restore the older
    // valid snapshot and keep every log segment after it.
    List<Path> files = snapshotFiles(snapshots);
    Path newest = files.get(files.size() - 1);
    byte[] content = Files.readAllBytes(newest);
    content[content.length / 3] ^= 0x5A;
    Files.write(newest, content);
    String name = newest.getFileName().toString();
    String newerName = name.substring(0, name.length() - 1) + (char) (name.charAt(name.length() - 1) + 1);
    Files.write(snapshots.resolve(newerName), new byte[] {1, 2, 3});

    // (no new snapshot after the restart, which would hide the damage)
    cluster.startWith(follower, b -> b.snapshotEveryTxns(1_000));
    cluster.awaitApplied(List.of(follower), acked);
    cluster.stop(follower);
    cluster.startWith(follower, b -> b.snapshotEveryTxns(1_000)); // refused before the fix: the log had been compacted past the restored snapshot
    cluster.awaitApplied(List.of(follower), acked);
  }

  /**
   * Restarts {@code follower}: every acknowledged write is then applied everywhere, exactly once and in order;
   * then writes more and restarts it again, which finds a log that continues its snapshot.
   */
  private void restartTwiceLosingNothing(long follower, long leader) throws Exception {
    cluster.start(follower);
    cluster.awaitLeader();
    cluster.awaitApplied(cluster.ids(), acked);
    write(leader, 3, "after");
    cluster.awaitApplied(cluster.ids(), acked);
    cluster.stop(follower);
    cluster.start(follower);
    cluster.awaitApplied(List.of(follower), acked);
  }

  private static List<Path> snapshotFiles(Path d) {
    try (Stream<Path> files = Files.list(d)) {
      return files.filter(p -> p.getFileName().toString().startsWith("snapshot.") && !p.toString().endsWith(".tmp"))
          .sorted().toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void deleteFiles(Path d) throws IOException {
    try (Stream<Path> files = Files.list(d)) {
      for (Path p : files.toList()) {
        Files.delete(p);
      }
    }
  }
}
