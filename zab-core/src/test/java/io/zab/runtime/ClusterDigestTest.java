package io.zab.runtime;

import static io.zab.fixtures.LocalCluster.WAIT;
import static io.zab.fixtures.LocalCluster.awaitCondition;
import static io.zab.fixtures.LocalCluster.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.zab.ZabException;
import io.zab.ZabNode;
import io.zab.Zxid;
import io.zab.Timeouts;
import io.zab.fixtures.LocalCluster;
import io.zab.wire.Message;
import io.zab.wire.Message.Diff;
import io.zab.wire.Message.Trunc;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole-cluster acceptance runs on real files with real fsyncs: many writes, a leader kill, a full restart from
 * disk, and lagging followers synced by DIFF, TRUNC and SNAP. Every run ends with the same SHA-256 digest of the
 * applied (zxid, payload) sequence on every server, and every acknowledged write in it.
 */
class ClusterDigestTest {
  /** How many committed txns a leader keeps in memory before its newest snapshot (Replica's constant). */
  private static final int LEADER_MEMORY_TXNS = 10_000;

  /** {@link LocalCluster#FAST} with a 2 s sync limit: thousands of pipelined writes on a loaded machine. */
  private static final Timeouts TOLERANT =
      LocalCluster.FAST.withInitLimit(Duration.ofSeconds(5)).withSyncLimit(Duration.ofSeconds(2));

  @TempDir
  Path dir;

  private final WireTap tap = new WireTap();

  @AutoClose
  private LocalCluster cluster;

  /** Starts {@code size} servers, waits for a leader, writes {@code writes} across all; returns the leader. */
  private ZabNode startAndWrite(int size, int snapshotEveryTxns, int writes, Collection<String> acked)
      throws Exception {
    cluster = new LocalCluster(dir, size, tap.network(), b -> b.snapshotEveryTxns(snapshotEveryTxns).timeouts(TOLERANT))
        .startAll();
    ZabNode leader = cluster.awaitLeader();
    acked.addAll(writeAcross(cluster.ids(), "a", writes));
    return leader;
  }

  /**
   * Submits writes round-robin over {@code on} (pipelined) until {@code count} of them are acknowledged; returns
   * those. A write refused or left in doubt by a leader change on this loaded machine is replaced by a new one
   * (with a new payload): only acknowledged writes are owed, and the digests check the rest.
   */
  private List<String> writeAcross(Collection<Long> on, String prefix, int count) throws Exception {
    List<String> acked = new ArrayList<>();
    for (int round = 0; acked.size() < count; round++) {
      assertThat(round).as("rounds of writes to get %d acknowledged", count).isLessThan(5);
      acked.addAll(succeeded(submitAcross(on, prefix + round + "-", count - acked.size())));
    }
    return acked;
  }

  private Map<String, CompletableFuture<Zxid>> submitAcross(Collection<Long> on, String prefix, int count) {
    List<Long> ids = List.copyOf(on);
    Map<String, CompletableFuture<Zxid>> pending = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      String payload = prefix + i;
      pending.put(payload, cluster.node(ids.get(i % ids.size())).submit(bytes(payload)));
    }
    return pending;
  }

  /** The payloads whose futures succeeded; waits for every future to finish, failing on a non-zab error. */
  private static List<String> succeeded(Map<String, CompletableFuture<Zxid>> pending) throws Exception {
    List<String> ok = new ArrayList<>();
    for (Map.Entry<String, CompletableFuture<Zxid>> e : pending.entrySet()) {
      Throwable error = e.getValue().handle((z, t) -> t).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      if (error == null) {
        ok.add(e.getKey());
      } else if (!(error instanceof ZabException)) {
        throw new AssertionError("write " + e.getKey() + " failed with a non-zab error", error);
      }
    }
    return ok;
  }

  /**
   * Waits until every server in {@code ids} holds the same digest and has applied every acknowledged write;
   * returns that digest.
   */
  private String awaitEqualDigests(Collection<Long> ids, Collection<String> acked) {
    awaitCondition(WAIT, () -> ids.stream().map(id -> StateDigests.of(cluster.sm(id))).distinct().count() == 1
            && ids.stream().allMatch(id -> cluster.sm(id).applied().containsAll(acked)),
        () -> "equal digests on " + ids + " holding " + acked.size() + " acked writes: " + digests(ids));
    for (long id : ids) {
      assertThat(cluster.sm(id).applied()).as("server %d applies each write once", id).doesNotHaveDuplicates();
    }
    return StateDigests.of(cluster.sm(ids.iterator().next()));
  }

  private Map<Long, String> digests(Collection<Long> ids) {
    Map<Long, String> out = new LinkedHashMap<>();
    ids.forEach(id -> out.put(id, StateDigests.of(cluster.sm(id))));
    return out;
  }

  /** The newest snapshot file's zxid in {@code dir} (names are {@code snapshot.<16 hex digits>}), or ZERO. */
  private static Zxid newestSnapshot(Path dir) {
    try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.matches("snapshot\\.[0-9a-f]{16}"))
          .map(n -> new Zxid(Long.parseUnsignedLong(n.substring("snapshot.".length()), 16)))
          .max(Zxid::compareTo).orElse(Zxid.ZERO);
    } catch (java.io.IOException e) {
      return Zxid.ZERO;
    }
  }

  private long aFollowerOf(ZabNode leader) {
    return cluster.ids().stream().filter(id -> id != leader.serverId()).findFirst().orElseThrow();
  }

  @Test
  void threeServersCommitOverAThousandWritesSurviveALeaderKillAndAFullRestartWithEqualDigests() throws Exception {
    Set<String> acked = new LinkedHashSet<>();
    ZabNode first = startAndWrite(3, 250, 600, acked);

    // Writes still in flight when the leader dies: any that was acknowledged must survive.
    Map<String, CompletableFuture<Zxid>> inFlight = submitAcross(cluster.ids(), "k", 60);
    cluster.stop(first.serverId());
    List<Long> survivors = cluster.runningIds();
    ZabNode second = cluster.awaitLeader(survivors);
    assertThat(second.epoch()).isGreaterThan(first.epoch());
    acked.addAll(succeeded(inFlight));
    acked.addAll(writeAcross(survivors, "b", 400));
    assertThat(acked).hasSizeGreaterThanOrEqualTo(1_000);
    String beforeRestart = awaitEqualDigests(survivors, acked);

    // Full restart: every server recovers from its own snapshot and log.
    survivors.forEach(cluster::stop);
    for (long id : cluster.ids()) {
      cluster.start(id);
    }
    ZabNode third = cluster.awaitLeader();
    String afterRestart = awaitEqualDigests(cluster.ids(), acked);
    assertThat(afterRestart).as("nothing lost or added by the restart").isEqualTo(beforeRestart);
    acked.addAll(writeAcross(List.of(aFollowerOf(third)), "after-restart", 1));
    awaitEqualDigests(cluster.ids(), acked);
  }

  @Test
  void fiveServersElectWriteReElectAndConverge() throws Exception {
    Set<String> acked = new LinkedHashSet<>();
    ZabNode first = startAndWrite(5, 10_000, 250, acked);
    cluster.stop(first.serverId());
    List<Long> survivors = cluster.runningIds();
    ZabNode second = cluster.awaitLeader(survivors);
    assertThat(second.serverId()).isNotEqualTo(first.serverId());
    acked.addAll(writeAcross(survivors, "b", 100));
    cluster.start(first.serverId());
    awaitEqualDigests(cluster.ids(), acked);
  }

  @Test
  void S7_aFollowerThatMissedSomeWritesCatchesUpByDiff() throws Exception {
    List<String> acked = new ArrayList<>();
    ZabNode leader = startAndWrite(3, 10_000, 50, acked);
    long lagging = aFollowerOf(leader);
    ZabNode laggard = cluster.node(lagging);
    cluster.stop(lagging);
    Zxid laggardLast = laggard.lastZxid();
    acked.addAll(writeAcross(cluster.runningIds(), "b", 50));

    int mark = tap.mark();
    cluster.start(lagging);
    awaitEqualDigests(cluster.ids(), acked);
    assertThat(tap.syncOpenersSince(mark)).containsExactly(new Diff(laggardLast));
  }

  @Test
  void S7_ZOOKEEPER_1154_anOldLeaderWithUncommittedTxnsIsTruncated() throws Exception {
    List<String> acked = new ArrayList<>();
    ZabNode old = startAndWrite(3, 10_000, 20, acked);
    long oldId = old.serverId();
    awaitCondition(WAIT, () -> cluster.sm(oldId).applied().containsAll(acked), () -> "the leader to apply " + acked);
    List<Zxid> applied = cluster.sm(oldId).zxids();
    Zxid lastCommitted = applied.get(applied.size() - 1);
    List<Long> others = cluster.ids().stream().filter(id -> id != oldId).toList();

    // The leader logs writes no follower ever sees, then is cut off: they can never commit. The followers stop
    // reading it first, with the connections up: cut at once, the leader could notice that it lost its quorum
    // before it had proposed all five (it then refuses the rest), and the test would wait for writes never logged.
    for (long follower : others) {
      cluster.network().hold(oldId, follower);
    }
    Map<String, CompletableFuture<Zxid>> orphans = submitAcross(List.of(oldId), "orphan", 5);
    awaitCondition(WAIT, () -> old.lastZxid().equals(Zxid.of(lastCommitted.epoch(), lastCommitted.counter() + 5)),
        () -> "the leader to log 5 writes after " + lastCommitted + " that its followers do not read: " + cluster);
    cluster.network().partition(Set.of(oldId), Set.copyOf(others)); // drops what was held
    ZabNode next = cluster.awaitLeader(others);
    acked.addAll(writeAcross(others, "b", 10));

    int mark = tap.mark();
    cluster.network().heal();
    awaitEqualDigests(cluster.ids(), acked);
    assertThat(cluster.node(oldId).leader()).hasValue(next.serverId());
    List<Message> openers = tap.syncOpenersSince(mark);
    assertThat(openers).contains(new Trunc(lastCommitted)).noneMatch(m -> m instanceof Message.SnapChunk);
    assertThat(succeeded(orphans)).as("no quorum ever held them").isEmpty();
    for (long id : cluster.ids()) {
      assertThat(cluster.sm(id).applied()).noneMatch(p -> p.startsWith("orphan"));
    }
  }

  @Test
  void S7_aFollowerBehindTheLeadersCompactedHistoryCatchesUpBySnapshot() throws Exception {
    List<String> acked = new ArrayList<>();
    ZabNode leader = startAndWrite(3, 1_000, 20, acked);
    long lagging = aFollowerOf(leader);
    Zxid laggardLast = cluster.node(lagging).lastZxid();
    cluster.stop(lagging);
    // Past the leader's in-memory window (and its snapshots compact the log): only a snapshot can help.
    List<Long> running = cluster.runningIds();
    for (int round = 0; round < (LEADER_MEMORY_TXNS + 1_000) / 1_000; round++) {
      acked.addAll(writeAcross(running, "b" + round + "-", 1_000));
    }
    acked.addAll(writeAcross(running, "c-", 100)); // so the last snapshot due lies past the window
    // Snapshots are written by a thread of their own: wait for the one that moves the leader's window past the
    // laggard, then write once more through the leader, whose core has then handled its report.
    ZabNode current = cluster.awaitLeader(running);
    Zxid windowEnd = Zxid.of(laggardLast.epoch(), laggardLast.counter() + LEADER_MEMORY_TXNS);
    Path snapshots = dir.resolve("server-" + current.serverId()).resolve("snapshots");
    awaitCondition(WAIT, () -> newestSnapshot(snapshots).isAfter(windowEnd),
        () -> "a snapshot of the leader after " + windowEnd + "; newest " + newestSnapshot(snapshots));
    acked.addAll(writeAcross(List.of(current.serverId()), "d-", 1));

    int mark = tap.mark();
    cluster.start(lagging);
    assertThat(cluster.sm(lagging).restores()).as("its own snapshot? it never took one").isZero();
    awaitEqualDigests(cluster.ids(), acked);
    assertThat(tap.syncOpenersSince(mark)).singleElement().isInstanceOf(Message.SnapChunk.class);
    assertThat(cluster.sm(lagging).restores()).as("installed the leader's snapshot").isEqualTo(1);
  }
}
