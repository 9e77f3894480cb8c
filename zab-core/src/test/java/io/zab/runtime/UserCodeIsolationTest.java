package io.zab.runtime;

import static io.zab.fixtures.LocalCluster.WAIT;
import static io.zab.fixtures.LocalCluster.awaitCondition;
import static io.zab.fixtures.LocalCluster.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.zab.Role;
import io.zab.ZabListener.RoleChange;
import io.zab.ZabNode;
import io.zab.Zxid;
import io.zab.fixtures.LocalCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * User code (future continuations, listeners) never runs on a node's protocol, log or apply thread: a
 * continuation that blocks for seconds must not stop heartbeats (issue 10, item 5).
 */
class UserCodeIsolationTest {
  private static final long BLOCK_SECONDS = 10;

  @TempDir
  Path dir;

  @AutoClose
  private LocalCluster cluster;

  @Test
  void continuationsThatBlockForTenSecondsChangeNoRoleOrEpochAnywhere() throws Exception {
    cluster = new LocalCluster(dir, 3, b -> b.timeouts(LocalCluster.STEADY)).startAll();
    ZabNode leader = cluster.awaitLeader();
    Map<Long, String> before = snapshotOfRoles();
    List<String> changes = new CopyOnWriteArrayList<>();
    ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor();
    watcher.scheduleWithFixedDelay(() -> {
      Map<Long, String> now = snapshotOfRoles();
      if (!now.equals(before)) {
        changes.add(now.toString());
      }
    }, 0, 5, TimeUnit.MILLISECONDS);
    CountDownLatch release = new CountDownLatch(1);
    List<String> ranOn = new CopyOnWriteArrayList<>();
    List<CompletableFuture<Void>> returned = new ArrayList<>();
    try {
      for (long id : cluster.ids()) {
        returned.add(blockAContinuation(cluster.node(id), release, ranOn));
      }
      // Meanwhile the cluster keeps committing and applying everywhere (futures wait: their thread is busy).
      for (int i = 0; i < 20; i++) {
        leader.submit(bytes("during-" + i));
      }
      awaitCondition(WAIT, () -> leader.lastZxid().counter() >= 20 && cluster.ids().stream()
              .allMatch(id -> cluster.node(id).appliedZxid().equals(leader.lastZxid())),
          () -> "every server to apply the writes while continuations block: " + cluster);
      for (CompletableFuture<Void> r : returned) {
        r.get(BLOCK_SECONDS + WAIT.toSeconds(), TimeUnit.SECONDS); // each blocked its full time
      }
    } finally {
      release.countDown();
      watcher.shutdownNow();
    }
    assertThat(changes).as("role or epoch changes while the continuations blocked").isEmpty();
    assertThat(ranOn).hasSize(3).allMatch(name -> name.startsWith("zab-callback-"));
  }

  @Test
  void aListenerHearsAFatalErrorOnTheCallbackThreadNotOnTheFailingLogThread() throws Exception {
    cluster = new LocalCluster(dir, 3);
    Map<Long, NodeFailureTest.FailingDisk> disks = cluster.startAllWithDisks(NodeFailureTest.FailingDisk::new);
    ZabNode leader = cluster.awaitLeader();
    long victim = cluster.ids().stream().filter(id -> id != leader.serverId()).findFirst().orElseThrow();
    List<String> threads = new CopyOnWriteArrayList<>();
    List<RoleChange> heard = new CopyOnWriteArrayList<>();
    cluster.node(victim).addListener(e -> {
      threads.add(Thread.currentThread().getName());
      heard.add(e);
    });
    disks.get(victim).broken.set(true);
    cluster.node(victim).submit(bytes("hits the broken disk"));
    awaitCondition(WAIT, () -> heard.stream().anyMatch(e -> e.role() == Role.LOOKING),
        () -> "server " + victim + " to report LOOKING after its fsync failed; heard " + heard);
    assertThat(threads).allMatch(name -> name.startsWith("zab-callback-"), "the callback thread");
  }

  @Test
  void anExecutorGivenToTheBuilderRunsEveryCompletionAndListener() throws Exception {
    ExecutorService mine = Executors.newFixedThreadPool(4, r -> new Thread(r, "app-callbacks"));
    try {
      cluster = new LocalCluster(dir, 3, b -> b.callbackExecutor(mine));
      List<String> threads = new CopyOnWriteArrayList<>();
      cluster.start(1).addListener(e -> threads.add("listener:" + Thread.currentThread().getName()));
      cluster.start(2);
      cluster.start(3);
      ZabNode leader = cluster.awaitLeader();
      // Attached right away: a continuation runs where the future completes, or here if it already has.
      CompletableFuture<Zxid> write = cluster.node(1).submit(bytes("x"));
      List<CompletableFuture<String>> where = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        where.add(cluster.node(1).sync().thenApply(z -> Thread.currentThread().getName()));
      }
      where.add(write.thenApply(z -> Thread.currentThread().getName()));
      for (CompletableFuture<String> w : where) {
        String name = w.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(name).isIn("app-callbacks", Thread.currentThread().getName());
      }
      awaitCondition(WAIT, () -> !threads.isEmpty(), () -> "server 1's listener to hear the election");
      assertThat(threads).allMatch(t -> t.equals("listener:app-callbacks"));
      assertThat(leader.role()).isEqualTo(Role.LEADING);
    } finally {
      cluster.close();
      mine.shutdownNow();
    }
  }

  /**
   * Attaches to a read barrier of {@code node} a continuation that blocks until {@code release} (at most
   * {@link #BLOCK_SECONDS}), retrying until one runs where the node completes it rather than here (a barrier
   * that completed before the continuation was attached runs it on this thread); returns when it stops blocking.
   */
  private static CompletableFuture<Void> blockAContinuation(ZabNode node, CountDownLatch release,
      List<String> ranOn) throws Exception {
    Thread self = Thread.currentThread();
    for (int attempt = 0; attempt < 1_000; attempt++) {
      CompletableFuture<Boolean> blocking = new CompletableFuture<>();
      CompletableFuture<Void> returned = new CompletableFuture<>();
      node.sync().thenRun(() -> {
        if (Thread.currentThread() == self) {
          blocking.complete(false);
          return;
        }
        ranOn.add(Thread.currentThread().getName());
        blocking.complete(true);
        try {
          release.await(BLOCK_SECONDS, TimeUnit.SECONDS); // the blocking continuation under test
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        returned.complete(null);
      });
      try {
        if (blocking.get(WAIT.toSeconds(), TimeUnit.SECONDS)) {
          return returned;
        }
      } catch (TimeoutException e) {
        throw new AssertionError("a read barrier of server " + node.serverId() + " never completed: the cluster"
            + " stalled behind a blocked continuation elsewhere", e);
      }
    }
    throw new AssertionError("every read barrier of server " + node.serverId() + " completed before its continuation"
        + " was attached");
  }

  /** "role@epoch" of every running server. */
  private Map<Long, String> snapshotOfRoles() {
    Map<Long, String> out = new TreeMap<>();
    for (long id : cluster.runningIds()) {
      ZabNode n = cluster.node(id);
      out.put(id, n.role() + "@" + n.epoch());
    }
    return out;
  }
}
