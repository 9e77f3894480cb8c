package io.zab.runtime;

import static io.zab.fixtures.LocalCluster.WAIT;
import static io.zab.fixtures.LocalCluster.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.zab.ZabException;
import io.zab.ZabNode;
import io.zab.Zxid;
import io.zab.fixtures.LocalCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No submit() or sync() future is left hanging when the leader is lost, and no acknowledged write is lost. */
class FutureCompletionTest {
  @TempDir
  Path dir;

  @AutoClose
  private LocalCluster cluster;

  @Test
  void everyFutureCompletesWhenTheLeaderIsCutOffMidStreamAndEverySuccessSurvives() throws Exception {
    cluster = new LocalCluster(dir, 3).startAll();
    ZabNode leader = cluster.awaitLeader();
    ZabNode follower = cluster.node(cluster.ids().stream().filter(id -> id != leader.serverId()).findFirst()
        .orElseThrow());
    Map<String, CompletableFuture<Zxid>> writes = new LinkedHashMap<>();
    List<CompletableFuture<Zxid>> barriers = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      writes.put("L" + i, leader.submit(bytes("L" + i)));
      writes.put("F" + i, follower.submit(bytes("F" + i)));
      barriers.add(follower.sync());
    }
    cluster.network().isolate(leader.serverId());

    List<String> acked = new ArrayList<>();
    for (Map.Entry<String, CompletableFuture<Zxid>> w : writes.entrySet()) {
      if (completesWithin(w.getValue())) {
        acked.add(w.getKey());
      }
    }
    barriers.forEach(FutureCompletionTest::completesWithin);

    cluster.network().heal();
    cluster.awaitLeader();
    LocalCluster.awaitCondition(WAIT, () -> cluster.ids().stream()
            .allMatch(id -> cluster.sm(id).applied().containsAll(acked)),
        () -> "every acknowledged write " + acked.size() + " on every server");
  }

  /** True if {@code f} succeeded; false if it failed with a typed error; fails the test if it hangs. */
  private static boolean completesWithin(CompletableFuture<Zxid> f) {
    try {
      f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      return true;
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(ZabException.class);
      return false;
    } catch (Exception e) {
      throw new AssertionError("future left hanging: " + e, e);
    }
  }
}
