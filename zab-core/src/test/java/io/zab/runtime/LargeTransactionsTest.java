package io.zab.runtime;

import static io.zab.fixtures.LocalCluster.WAIT;

import io.zab.ZabNode;
import io.zab.Zxid;
import io.zab.fixtures.LocalCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 item 1 (S7): a sync stream of many 1 MiB transactions is cut into messages that fit the 16 MiB frame.
 * Every message crosses the real wire codec (LocalCluster's network), which refuses a body above the frame cap.
 * (Broadcast batches are checked in the core: {@code FrameBoundTest}.)
 */
class LargeTransactionsTest {
  private static final int MIB = 1 << 20;

  @TempDir
  Path dir;

  @AutoClose
  private LocalCluster cluster;

  @Test
  void S7_aFollowerThatMissedManyLargeWritesRejoins() throws Exception {
    cluster = new LocalCluster(dir, 3).startAll();
    ZabNode leader = cluster.awaitLeader();
    long lagging = cluster.ids().stream().filter(id -> id != leader.serverId()).findFirst().orElseThrow();
    cluster.stop(lagging);
    List<String> written = new ArrayList<>();
    for (int i = 0; i < 20; i++) { // one at a time: only the sync stream to the laggard is large
      write(leader, "m" + i).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      written.add(payload("m" + i));
    }
    cluster.start(lagging);
    cluster.awaitApplied(cluster.ids(), written);
  }

  @Test
  void S7_snapshotChunksFitTheTransportsFrame() throws Exception {
    int frame = 64 << 10;
    cluster = new LocalCluster(dir, 3, io.zab.transport.LocalNetwork.createWithCodec(frame),
        b -> b.maxTxnBytes(16 << 10).snapshotEveryTxns(10));
    cluster.startAll();
    ZabNode leader = cluster.awaitLeader();
    long lagging = cluster.ids().stream().filter(id -> id != leader.serverId()).findFirst().orElseThrow();
    cluster.stop(lagging);
    List<String> written = new ArrayList<>();
    for (int i = 0; i < 25; i++) { // 25 x 8 KiB: the snapshots are larger than a frame
      String p = "s" + i + "-" + "y".repeat(8 << 10);
      cluster.write(leader.serverId(), p);
      written.add(p);
    }
    List<Long> others = cluster.runningIds(); // restarted, they keep only the log after their newest snapshot
    others.forEach(cluster::stop);
    for (long id : others) {
      cluster.start(id);
    }
    cluster.awaitLeader(others);
    cluster.start(lagging);
    cluster.awaitApplied(cluster.ids(), written);
    org.assertj.core.api.Assertions.assertThat(cluster.sm(lagging).restores()).as("synced by snapshot").isEqualTo(1);
  }

  private static CompletableFuture<Zxid> write(ZabNode on, String tag) {
    return on.submit(payload(tag).getBytes(StandardCharsets.UTF_8));
  }

  /** A 1 MiB payload (the default maxTxnBytes) that starts with {@code tag}. */
  private static String payload(String tag) {
    char[] fill = new char[MIB - tag.length()];
    Arrays.fill(fill, 'x');
    return tag + new String(fill);
  }
}
