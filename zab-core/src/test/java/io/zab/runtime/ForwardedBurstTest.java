package io.zab.runtime;

import static io.zab.fixtures.LocalCluster.WAIT;
import static io.zab.fixtures.LocalCluster.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import io.zab.OverloadedException;
import io.zab.Role;
import io.zab.ZabListener.RoleChange;
import io.zab.ZabNode;
import io.zab.Zxid;
import io.zab.fixtures.LocalCluster;
import io.zab.transport.LocalNetwork;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 item 2 (S9): a burst of large writes on a follower passes the same admission as writes on the leader.
 * The follower forwards at most its window (8 MiB) of writes without a reply; the rest fail at once with
 * {@link OverloadedException} (not applied, nothing sent). Its connection to the leader, bounded in bytes like
 * Netty's (36 MiB), never overflows, and it keeps following.
 */
class ForwardedBurstTest {
  @TempDir
  Path dir;

  @AutoClose
  private LocalCluster cluster;

  @Test
  void S9_aBurstOf64LargeWritesOnAFollowerEndsCommittedOrOverloadedAndTheFollowerKeepsFollowing() throws Exception {
    LocalNetwork net = LocalNetwork.createWithCodec();
    cluster = new LocalCluster(dir, 3, net, b -> b.timeouts(LocalCluster.STEADY)).startAll();
    ZabNode leader = cluster.awaitLeader();
    long follower = cluster.ids().stream().filter(id -> id != leader.serverId()).findFirst().orElseThrow();
    List<RoleChange> roles = new CopyOnWriteArrayList<>();
    cluster.node(follower).addListener(roles::add);

    net.hold(follower, leader.serverId()); // the leader reads nothing of the burst until it is all submitted
    List<CompletableFuture<Zxid>> futures = new ArrayList<>();
    List<String> payloads = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      String p = "f" + i + "-" + "x".repeat((1 << 20) - 8);
      payloads.add(p);
      futures.add(cluster.node(follower).submit(p.getBytes(StandardCharsets.UTF_8)));
    }
    awaitCondition(WAIT, () -> futures.stream().filter(CompletableFuture::isDone).count() >= 56
        || cluster.node(follower).role() != Role.FOLLOWING, () -> "the burst to be admitted or refused");
    net.release(follower, leader.serverId());
    awaitCondition(WAIT, () -> futures.stream().allMatch(CompletableFuture::isDone), () -> "every write answered");

    List<String> committed = new ArrayList<>();
    int overloaded = 0;
    for (int i = 0; i < futures.size(); i++) {
      try {
        futures.get(i).join();
        committed.add(payloads.get(i));
      } catch (CompletionException e) {
        assertThat(e.getCause()).as("write %d", i).isInstanceOf(OverloadedException.class);
        assertThat(((OverloadedException) e.getCause()).notApplied()).isTrue();
        overloaded++;
      }
    }
    assertThat(committed).as("the window's worth was forwarded and committed").hasSizeBetween(1, 8);
    assertThat(overloaded).isEqualTo(64 - committed.size());
    assertThat(net.overflows()).as("the follower never overflowed its connection").isZero();
    assertThat(roles).as("the follower never left its role").isEmpty();
    cluster.awaitApplied(cluster.ids(), committed);
  }
}
