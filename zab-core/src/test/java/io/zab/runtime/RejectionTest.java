package io.zab.runtime;

import static io.zab.fixtures.LocalCluster.WAIT;
import static io.zab.fixtures.LocalCluster.awaitCondition;
import static io.zab.fixtures.LocalCluster.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zab.NoQuorumException;
import io.zab.OverloadedException;
import io.zab.Role;
import io.zab.TooLargeException;
import io.zab.ZabException;
import io.zab.ZabNode;
import io.zab.Zxid;
import io.zab.fixtures.LocalCluster;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Typed rejections: each says the request was not applied, so a retry is safe. */
class RejectionTest {
  @TempDir
  Path dir;

  @AutoClose
  private LocalCluster cluster;

  private static ZabException failure(CompletableFuture<Zxid> f) throws Exception {
    try {
      f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(ZabException.class);
      return (ZabException) e.getCause();
    }
    throw new AssertionError("expected the request to fail");
  }

  @Test
  void aPayloadAboveMaxTxnBytesIsTooLarge() throws Exception {
    cluster = new LocalCluster(dir, 3, b -> b.maxTxnBytes(100)).startAll();
    ZabNode leader = cluster.awaitLeader();
    ZabException e = failure(leader.submit(new byte[101]));
    assertThat(e).isInstanceOf(TooLargeException.class).hasMessageContaining("101 bytes exceeds maxTxnBytes=100");
    assertThat(e.notApplied()).isTrue();
    assertThat(leader.submit(new byte[100]).get(WAIT.toSeconds(), TimeUnit.SECONDS)).isNotNull();
  }

  @Test
  void moreThanMaxOutstandingRequestsInFlightIsOverloaded() throws Exception {
    cluster = new LocalCluster(dir, 3, b -> b.maxOutstanding(2));
    Map<Long, GatedSyncer> disks = cluster.startAllWithDisks(GatedSyncer::new);
    ZabNode leader = cluster.awaitLeader();
    try {
      disks.forEach((id, disk) -> {
        if (id != leader.serverId()) {
          disk.hang(); // nothing commits, so requests stay in flight
        }
      });
      CompletableFuture<Zxid> first = leader.submit(bytes("1"));
      CompletableFuture<Zxid> second = leader.submit(bytes("2"));
      ZabException e = failure(leader.submit(bytes("3")));
      assertThat(e).isInstanceOf(OverloadedException.class).hasMessageContaining("maxOutstanding=2");
      assertThat(e.notApplied()).isTrue();
      assertThat(first).isNotDone();
      assertThat(second).isNotDone();
    } finally {
      disks.values().forEach(GatedSyncer::release);
    }
  }

  @Test
  void S10_anIsolatedServerRefusesWritesAsNotAppliedWithoutALeader() throws Exception {
    cluster = new LocalCluster(dir, 3).startAll();
    ZabNode leader = cluster.awaitLeader();
    long loner = cluster.ids().stream().filter(id -> id != leader.serverId()).findFirst().orElseThrow();
    cluster.network().isolate(loner);
    awaitCondition(WAIT, () -> cluster.node(loner).role() == Role.LOOKING, () -> "server " + loner + " to lose its leader");
    ZabException e = failure(cluster.node(loner).submit(bytes("alone")));
    assertThat(e).isInstanceOf(NoQuorumException.class);
    assertThat(e.notApplied()).isTrue();
  }
}
