package io.zab.runtime;

import static io.zab.fixtures.LocalCluster.WAIT;
import static io.zab.fixtures.LocalCluster.awaitCondition;
import static io.zab.fixtures.LocalCluster.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zab.ClosedException;
import io.zab.Role;
import io.zab.ZabNode;
import io.zab.fixtures.CapturedLog;
import io.zab.fixtures.LocalCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A slow or broken disk on one server (issue 10, item 4). */
class SlowDiskTest {
  /** More log writes than the log queue used to hold (4,096) before it blocked the protocol thread. */
  private static final int WRITES = 4_200;

  @TempDir
  Path dir;

  @AutoClose
  private LocalCluster cluster;

  @Test
  void aLeaderWhoseDiskHangsKeepsLeadingAndCommittingWithItsFollowers() throws Exception {
    // A 2 s sync limit: the test is about the protocol thread never waiting on the hung disk (which would stop every
    // commit, whatever the limit), not about how fast a silent leader is given up; 0.5 s made a scheduling stall on
    // a loaded machine look like a failover.
    cluster = new LocalCluster(dir, 3, b -> b.timeouts(LocalCluster.STEADY));
    Map<Long, GatedSyncer> disks = cluster.startAllWithDisks(GatedSyncer::withoutFsync);
    ZabNode leader = cluster.awaitLeader();
    long epoch = leader.epoch();
    try {
      disks.get(leader.serverId()).hang();
      // One write at a time: each is its own log write on the leader, none of which ever completes. The two
      // followers are a quorum, so every write still commits.
      for (int i = 0; i < WRITES; i++) {
        leader.submit(bytes("w" + i)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      }
      assertThat(leader.role()).isEqualTo(Role.LEADING);
      assertThat(leader.epoch()).isEqualTo(epoch);
      assertThat(leader.appliedZxid().counter()).isGreaterThanOrEqualTo(WRITES);
    } finally {
      disks.values().forEach(GatedSyncer::release);
    }
  }

  @Test
  void aServerWhoseDataDirectoryIsDeletedStopsWithOneClearError() throws Exception {
    cluster = new LocalCluster(dir, 3, b -> b.snapshotEveryTxns(5));
    cluster.startAll();
    ZabNode leader = cluster.awaitLeader();
    long victim = cluster.ids().stream().filter(id -> id != leader.serverId()).findFirst().orElseThrow();
    ZabNode node = cluster.node(victim);
    Path dataDir = dir.resolve("server-" + victim);
    try (CapturedLog log = CapturedLog.start()) {
      deleteRecursively(dataDir);
      for (int i = 0; i < 20; i++) { // enough for a snapshot on every server
        cluster.write(leader.serverId(), "after-delete-" + i);
      }
      awaitCondition(WAIT, () -> node.role() == Role.LOOKING, () -> "server " + victim + " to stop: " + cluster);
      assertThatThrownBy(() -> node.submit(bytes("x")).get(WAIT.toSeconds(), TimeUnit.SECONDS))
          .cause().isInstanceOf(ClosedException.class).hasMessageContaining(dataDir.toString());
      List<String> lines = log.lines(dataDir.toString());
      assertThat(lines).as("lines naming the deleted directory").hasSizeLessThanOrEqualTo(3)
          .filteredOn(l -> l.contains(" ERROR ")).hasSize(1);
    }
    assertThat(leader.role()).as("the others go on").isEqualTo(Role.LEADING);
  }

  private static void deleteRecursively(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
