package io.zab.runtime;

import static io.zab.fixtures.LocalCluster.WAIT;
import static io.zab.fixtures.LocalCluster.awaitCondition;
import static io.zab.fixtures.LocalCluster.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zab.ClosedException;
import io.zab.Role;
import io.zab.ZabListener.RoleChange;
import io.zab.ZabNode;
import io.zab.Zxid;
import io.zab.fixtures.LocalCluster;
import io.zab.transport.LocalNetwork;
import io.zab.wire.Message;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real nodes, real files, in-JVM network. */
class ZabClusterTest {
  /**
   * {@link LocalCluster#FAST} with a 2 s sync limit, for tests that assert a leader keeps leading (or a write
   * stays pending) for a while: a loaded machine must not turn a late ping into an election. They wait for
   * events, never for a fixed time.
   */

  @TempDir
  Path dir;

  @AutoClose
  private LocalCluster cluster;

  @Test
  void S1_S3_threeNodesElectExactlyOneLeaderThatTheOthersFollow() throws Exception {
    cluster = new LocalCluster(dir, 3).startAll();
    ZabNode leader = cluster.awaitLeader();
    long leaders = cluster.ids().stream().filter(id -> cluster.node(id).role() == Role.LEADING).count();
    assertThat(leaders).isEqualTo(1);
    for (long id : cluster.ids()) {
      assertThat(cluster.node(id).leader()).hasValue(leader.serverId());
      assertThat(cluster.node(id).epoch()).isEqualTo(leader.epoch());
    }
  }

  @Test
  void S8_S9_writesFromLeaderAndFollowersApplyOnEveryNodeInOneOrder() throws Exception {
    cluster = new LocalCluster(dir, 3).startAll();
    cluster.awaitLeader();
    List<CompletableFuture<Zxid>> futures = new ArrayList<>();
    List<Long> submittedOn = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      long on = cluster.ids().get(i % 3);
      futures.add(cluster.node(on).submit(bytes("w" + i)));
      submittedOn.add(on);
    }
    List<Zxid> zxids = new ArrayList<>();
    for (int i = 0; i < futures.size(); i++) {
      Zxid z = futures.get(i).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      // Completion means applied on the node the write was submitted to.
      assertThat(cluster.sm(submittedOn.get(i)).zxids()).contains(z);
      zxids.add(z);
    }
    assertThat(zxids).doesNotHaveDuplicates();
    List<String> order = cluster.sm(cluster.awaitLeader().serverId()).applied();
    assertThat(order).hasSize(30).containsExactlyInAnyOrderElementsOf(
        java.util.stream.IntStream.range(0, 30).mapToObj(i -> "w" + i).toList());
    cluster.awaitApplied(cluster.ids(), order);
    assertThat(cluster.sm(1).zxids()).isEqualTo(cluster.sm(2).zxids()).isEqualTo(cluster.sm(3).zxids());
  }

  @Test
  void listenersHearTheElectionWithEpochAndLeader() throws Exception {
    cluster = new LocalCluster(dir, 3);
    List<RoleChange> heard = new CopyOnWriteArrayList<>();
    cluster.start(1).addListener(heard::add);
    cluster.start(2);
    cluster.start(3);
    ZabNode leader = cluster.awaitLeader();
    awaitCondition(WAIT, () -> heard.stream().anyMatch(e -> e.role() != Role.LOOKING
        && e.leader().equals(OptionalLong.of(leader.serverId()))),
        () -> "server 1 to report following/leading " + leader.serverId() + "; heard " + heard);
    RoleChange last = heard.get(heard.size() - 1);
    assertThat(last.serverId()).isEqualTo(1);
    assertThat(last.epoch()).isEqualTo(leader.epoch());
  }

  @Test
  void leaderCrashElectsANewLeaderAndLosesNoAcknowledgedWrite() throws Exception {
    cluster = new LocalCluster(dir, 3).startAll();
    ZabNode first = cluster.awaitLeader();
    List<String> acked = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      cluster.write(first.serverId(), "a" + i);
      acked.add("a" + i);
    }
    long oldLeader = first.serverId();
    cluster.stop(oldLeader);
    List<Long> survivors = cluster.runningIds();
    ZabNode second = cluster.awaitLeader(survivors);
    assertThat(second.serverId()).isNotEqualTo(oldLeader);
    assertThat(second.epoch()).isGreaterThan(first.epoch());
    for (int i = 0; i < 5; i++) {
      cluster.write(second.serverId(), "b" + i);
      acked.add("b" + i);
    }
    cluster.awaitApplied(survivors, acked);

    cluster.start(oldLeader); // recovers from its own disk, then catches up
    cluster.awaitApplied(cluster.ids(), acked);
  }

  @Test
  void S3_S10_fiveNodesElectALeaderAndAPartitionedMinorityCommitsNothing() throws Exception {
    cluster = new LocalCluster(dir, 5).startAll();
    ZabNode leader = cluster.awaitLeader();
    cluster.write(leader.serverId(), "before");
    long old = leader.serverId();
    long buddy = cluster.ids().stream().filter(id -> id != old).findFirst().orElseThrow();
    Set<Long> minority = Set.of(old, buddy);
    List<Long> majority = cluster.ids().stream().filter(id -> !minority.contains(id)).toList();

    cluster.network().partition(minority, Set.copyOf(majority));
    CompletableFuture<Zxid> minorityWrite = cluster.node(old).submit(bytes("minority"));
    ZabNode newLeader = cluster.awaitLeader(majority);
    for (int i = 0; i < 5; i++) {
      cluster.write(newLeader.serverId(), "majority" + i);
    }
    List<String> expected = List.of("before", "majority0", "majority1", "majority2", "majority3", "majority4");
    cluster.awaitApplied(majority, expected);
    // S10: the minority write cannot have succeeded: no quorum ever held it.
    assertThat(minorityWrite.isDone() && !minorityWrite.isCompletedExceptionally()).isFalse();
    assertThat(cluster.sm(old).applied()).doesNotContain("minority");

    cluster.network().heal();
    cluster.awaitApplied(cluster.ids(), expected);
    awaitCondition(WAIT, minorityWrite::isDone, () -> "the minority write to fail once the old leader steps down");
    assertThat(minorityWrite).isCompletedExceptionally();
    for (long id : cluster.ids()) {
      assertThat(cluster.sm(id).applied()).doesNotContain("minority");
    }
  }

  @Test
  void restartedFollowerRecoversFromSnapshotAndLogTailThenCatchesUp() throws Exception {
    cluster = new LocalCluster(dir, 3, b -> b.snapshotEveryTxns(10)).startAll();
    ZabNode leader = cluster.awaitLeader();
    List<String> acked = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      cluster.write(leader.serverId(), "x" + i);
      acked.add("x" + i);
    }
    long follower = cluster.ids().stream().filter(id -> id != leader.serverId()).findFirst().orElseThrow();
    cluster.awaitApplied(List.of(follower), acked);
    cluster.stop(follower);
    for (int i = 25; i < 35; i++) {
      cluster.write(leader.serverId(), "x" + i);
      acked.add("x" + i);
    }
    cluster.start(follower);
    assertThat(cluster.sm(follower).restores()).as("restored from its local snapshot at start").isEqualTo(1);
    assertThat(cluster.sm(follower).applied()).as("the snapshot holds a prefix of the log")
        .isEqualTo(acked.subList(0, cluster.sm(follower).applied().size())).hasSizeGreaterThanOrEqualTo(10);
    cluster.awaitApplied(cluster.ids(), acked);
  }

  @Test
  void snapshotsCompactTheLogAndARestartStillRecoversEveryWrite() throws Exception {
    cluster = new LocalCluster(dir, 3, b -> b.snapshotEveryTxns(10).logSegmentBytes(1024)).startAll();
    ZabNode leader = cluster.awaitLeader();
    List<String> acked = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      cluster.write(leader.serverId(), "c" + i + "-" + "x".repeat(100));
      acked.add("c" + i + "-" + "x".repeat(100));
    }
    cluster.awaitApplied(cluster.ids(), acked);
    long id = leader.serverId();
    Path logDir = dir.resolve("server-" + id).resolve("log");
    // 100 records of ~120 bytes in 1 KiB segments: about 12 segments written; compaction keeps those after
    // the older retained snapshot (zxid 90), about 2.
    awaitCondition(WAIT, () -> segmentCount(logDir) <= 4, () -> "log compaction in " + logDir + ": "
        + segmentCount(logDir) + " segments");

    cluster.stop(id);
    cluster.start(id);
    cluster.awaitApplied(List.of(id), acked);
  }

  /** Issue 12: with logRecycling the log rolls into the files compaction gave up (format 4); nothing is lost. */
  @Test
  void withRecyclingTheLogRollsIntoCompactedSegmentsAndRestartsRecoverEveryWrite() throws Exception {
    cluster = new LocalCluster(dir, 3, b -> b.snapshotEveryTxns(10).logSegmentBytes(1024).logRecycling(true))
        .startAll();
    ZabNode leader = cluster.awaitLeader();
    List<String> acked = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      cluster.write(leader.serverId(), "r" + i + "-" + "x".repeat(100));
      acked.add("r" + i + "-" + "x".repeat(100));
    }
    cluster.awaitApplied(cluster.ids(), acked);
    for (long id : cluster.ids()) {
      Path logDir = dir.resolve("server-" + id).resolve("log");
      awaitCondition(WAIT, () -> recycledSegments(logDir) > 0 || poolFiles(logDir) > 0,
          () -> "no recycled segment or pool file in " + logDir);
    }
    for (long id : cluster.ids()) {
      cluster.stop(id);
    }
    for (long id : cluster.ids()) {
      cluster.start(id);
    }
    leader = cluster.awaitLeader();
    cluster.write(leader.serverId(), "after");
    acked.add("after");
    cluster.awaitApplied(cluster.ids(), acked);
  }

  /** Segment files whose header names format version 4 (a recycled segment). */
  private static long recycledSegments(Path logDir) {
    try (var files = java.nio.file.Files.list(logDir)) {
      return files.filter(p -> p.getFileName().toString().matches("log\\.[0-9a-f]{16}")).filter(p -> {
        try (var in = java.nio.file.Files.newInputStream(p)) {
          byte[] h = in.readNBytes(8);
          return h.length == 8 && java.nio.ByteBuffer.wrap(h).getInt(4) == 4;
        } catch (java.io.IOException e) {
          return false; // compacted meanwhile
        }
      }).count();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static long poolFiles(Path logDir) {
    try (var files = java.nio.file.Files.list(logDir)) {
      return files.filter(p -> p.getFileName().toString().startsWith("log.recycled.")).count();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static long segmentCount(Path logDir) {
    try (var files = java.nio.file.Files.list(logDir)) {
      return files.count();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void S7_aFollowerBehindTheLeadersSnapshotIsSyncedBySnapshotTransfer() throws Exception {
    cluster = new LocalCluster(dir, 3, b -> b.snapshotEveryTxns(10)).startAll();
    List<String> acked = new ArrayList<>();
    long lagging = stopAFollowerAndLeaveItBehindTheSnapshots(acked);
    cluster.start(lagging);
    assertThat(cluster.sm(lagging).restores()).as("no local snapshot to start from").isZero();
    cluster.awaitApplied(cluster.ids(), acked);
    assertThat(cluster.sm(lagging).restores()).as("installed the leader's snapshot").isEqualTo(1);
  }

  /**
   * The leader's newest snapshot is damaged on disk while a follower needs it (S7 SNAP): the sync is abandoned, the
   * leader keeps leading, sets the damaged file aside and takes a new snapshot at once, and the follower's next
   * attempt installs it, with no new write needed (an idle service would otherwise keep that follower out).
   */
  @Test
  void S7_aLeaderWhoseSnapshotIsDamagedReplacesItAndTheFollowerSyncsWithoutNewWrites() throws Exception {
    AtomicInteger epochAcks = new AtomicInteger();
    LocalNetwork net = LocalNetwork.create(LocalNetwork.DEFAULT_LINK_CAPACITY, m -> {
      if (m instanceof Message.AckEpoch) {
        epochAcks.incrementAndGet(); // one per sync attempt of a follower
      }
      return m;
    });
    cluster = new LocalCluster(dir, 3, net, b -> b.snapshotEveryTxns(10).timeouts(LocalCluster.STEADY)).startAll();
    List<String> acked = new ArrayList<>();
    long lagging = stopAFollowerAndLeaveItBehindTheSnapshots(acked);
    ZabNode leader = cluster.awaitLeader(cluster.runningIds());
    List<RoleChange> leaderRoles = new CopyOnWriteArrayList<>();
    leader.addListener(leaderRoles::add);
    for (long id : cluster.runningIds()) {
      SnapshotRetentionTest.damageEverySnapshotIn(dir.resolve("server-" + id).resolve("snapshots"));
    }
    int before = epochAcks.get();

    cluster.start(lagging);
    cluster.awaitApplied(cluster.ids(), acked);
    assertThat(epochAcks.get() - before).as("sync attempts: the first hit the damaged snapshot").isGreaterThanOrEqualTo(2);
    assertThat(cluster.sm(lagging).restores()).as("installed the leader's replacement snapshot").isEqualTo(1);
    assertThat(leader.role()).as("the leader survived the unreadable snapshot").isEqualTo(Role.LEADING);
    assertThat(leaderRoles).as("and never stepped down meanwhile").isEmpty();
    Path quarantine = dir.resolve("server-" + leader.serverId()).resolve("quarantine");
    try (var kept = java.nio.file.Files.list(quarantine)) {
      assertThat(kept.map(p -> p.getFileName().toString()).toList()).as("the damaged snapshot, set aside")
          .anyMatch(name -> name.endsWith(".damaged"));
    }
  }

  private long stopAFollowerAndLeaveItBehindTheSnapshots(List<String> acked) throws Exception {
    ZabNode leader = cluster.awaitLeader();
    long lagging = cluster.ids().stream().filter(id -> id != leader.serverId()).findFirst().orElseThrow();
    cluster.stop(lagging);
    for (int i = 0; i < 25; i++) {
      cluster.write(leader.serverId(), "s" + i);
      acked.add("s" + i);
    }
    // Restarted, the others keep only the log after their newest snapshot, so the laggard needs a SNAP.
    List<Long> others = cluster.runningIds();
    others.forEach(cluster::stop);
    for (long id : others) {
      cluster.start(id);
    }
    cluster.awaitLeader(others);
    return lagging;
  }

  @Test
  void syncOnAFollowerSeesAWriteCommittedBeforeTheCall() throws Exception {
    cluster = new LocalCluster(dir, 3).startAll();
    ZabNode leader = cluster.awaitLeader();
    long follower = cluster.ids().stream().filter(id -> id != leader.serverId()).findFirst().orElseThrow();
    for (int i = 0; i < 10; i++) {
      Zxid z = cluster.write(leader.serverId(), "s" + i);
      Zxid barrier = cluster.node(follower).sync().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(barrier).isGreaterThanOrEqualTo(z);
      assertThat(cluster.sm(follower).applied()).contains("s" + i);
    }
  }

  @Test
  void closeIsIdempotentAndFailsPendingRequestsWithClosedException() throws Exception {
    cluster = new LocalCluster(dir, 3, b -> b.timeouts(LocalCluster.STEADY));
    Map<Long, GatedSyncer> disks = cluster.startAllWithDisks(GatedSyncer::new);
    ZabNode leader = cluster.awaitLeader();
    try {
      // The followers' disks hang, so no quorum can ack: the write stays pending while the leader leads.
      disks.forEach((id, disk) -> {
        if (id != leader.serverId()) {
          disk.hang();
        }
      });
      Zxid before = leader.lastZxid();
      CompletableFuture<Zxid> pending = leader.submit(bytes("never acked"));
      // The event: every follower holds the proposal (in its log, not durable): only acks are missing.
      awaitCondition(WAIT, () -> leader.lastZxid().isAfter(before) && cluster.ids().stream()
          .allMatch(id -> cluster.node(id).lastZxid().equals(leader.lastZxid())),
          () -> "the proposal to reach every follower: " + cluster);
      assertThat(pending).as("no quorum fsynced it").isNotDone();
      leader.close();
      leader.close();
      assertThatThrownBy(() -> pending.get(WAIT.toSeconds(), TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class).cause().isInstanceOf(ClosedException.class);
      assertThatThrownBy(() -> leader.submit(bytes("after close")).get(WAIT.toSeconds(), TimeUnit.SECONDS))
          .cause().isInstanceOf(ClosedException.class);
      assertThat(leader.role()).isEqualTo(Role.LOOKING);
    } finally {
      disks.values().forEach(GatedSyncer::release);
    }
  }
}
