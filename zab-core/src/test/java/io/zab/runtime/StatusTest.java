package io.zab.runtime;

import static io.zab.runtime.LocalCluster.WAIT;
import static io.zab.runtime.LocalCluster.awaitCondition;
import static io.zab.runtime.LocalCluster.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.zab.Role;
import io.zab.StatusListener;
import io.zab.ZabListener.RoleChange;
import io.zab.ZabNode;
import io.zab.ZabStatus;
import io.zab.ZabStatus.FollowerStatus;
import io.zab.Zxid;
import io.zab.transport.LocalNetwork;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ZabNode.status()} and {@link StatusListener}: one consistent snapshot of a server, and periodic reports. */
class StatusTest {
  @TempDir
  Path dir;

  @AutoClose
  private LocalCluster cluster;

  @Test
  void theLeaderSeesEveryFollowerSyncedAndCaughtUp() throws Exception {
    cluster = new LocalCluster(dir, 3).startAll();
    ZabNode leader = cluster.awaitLeader();
    Zxid last = null;
    for (int i = 0; i < 3; i++) {
      last = cluster.write(leader.serverId(), "w" + i);
    }
    Zxid written = last;
    awaitCondition(WAIT, () -> caughtUp(leader.status(), written), () -> "followers caught up: " + leader.status());

    ZabStatus s = leader.status();
    assertThat(s.serverId()).isEqualTo(leader.serverId());
    assertThat(s.role()).isEqualTo(Role.LEADING);
    assertThat(s.established()).isTrue();
    assertThat(s.leader()).isEqualTo(OptionalLong.of(leader.serverId())).isEqualTo(leader.leader());
    assertThat(s.epoch()).isEqualTo(leader.epoch());
    assertThat(s.lastZxid()).isEqualTo(written);
    assertThat(s.committedZxid()).isEqualTo(written);
    assertThat(s.appliedZxid()).isEqualTo(written);
    assertThat(s.snapshotTransfers()).isEmpty();
    assertThat(s.followers()).extracting(FollowerStatus::serverId)
        .containsExactlyElementsOf(cluster.ids().stream().filter(id -> id != leader.serverId()).toList());
    for (FollowerStatus f : s.followers()) {
      assertThat(f.voter()).isTrue();
      assertThat(f.phase()).isEqualTo(FollowerStatus.Phase.SYNCED);
      assertThat(f.flow()).isEqualTo(FollowerStatus.Flow.REPLICATE);
      assertThat(f.bytesInFlight()).isZero();
      assertThat(f.sinceHeard()).as("heard within the sync limit").hasValueSatisfying(d ->
          assertThat(d).isLessThanOrEqualTo(Duration.ofMillis(LocalCluster.FAST.syncLimitTicks()
              * LocalCluster.TICK_MILLIS)));
    }

    long followerId = s.followers().get(0).serverId();
    ZabNode follower = cluster.node(followerId);
    awaitCondition(WAIT, () -> follower.status().appliedZxid().equals(written),
        () -> "follower status " + follower.status());
    ZabStatus fs = follower.status();
    assertThat(fs.role()).isEqualTo(Role.FOLLOWING);
    assertThat(fs.established()).isTrue();
    assertThat(fs.leader()).isEqualTo(OptionalLong.of(leader.serverId()));
    assertThat(fs.followers()).as("only the leader tracks followers").isEmpty();
    assertThat(fs.committedZxid()).isEqualTo(written);
  }

  @Test
  void aFollowerThatStopsReadingLagsByExactlyWhatItHasNotAcknowledged() throws Exception {
    LocalNetwork net = LocalNetwork.createWithCodec();
    cluster = new LocalCluster(dir, 3, net, b -> b.timing(SlowFollowerTest.PATIENT)).startAll();
    ZabNode leader = cluster.awaitLeader();
    Zxid before = cluster.write(leader.serverId(), "before");
    awaitCondition(WAIT, () -> caughtUp(leader.status(), before), () -> "caught up: " + leader.status());
    long slow = leader.status().followers().get(0).serverId();

    net.hold(leader.serverId(), slow); // it stops reading: no more acks from it
    int n = 5;
    int size = 1000;
    for (int i = 0; i < n; i++) {
      leader.submit(new byte[size]).get(WAIT.toSeconds(), TimeUnit.SECONDS); // committed with the other follower
    }
    awaitCondition(WAIT, () -> leader.status().follower(slow).orElseThrow().lagTxns() == n,
        () -> "follower " + slow + " to lag by " + n + ": " + leader.status());
    FollowerStatus f = leader.status().follower(slow).orElseThrow();
    assertThat(f.lagBytes()).isEqualTo((long) n * size);
    assertThat(f.ackedZxid()).isEqualTo(before);
    assertThat(f.connected()).isTrue();
    assertThat(f.phase()).isEqualTo(FollowerStatus.Phase.SYNCED);

    net.release(leader.serverId(), slow);
    Zxid last = leader.lastZxid();
    awaitCondition(WAIT, () -> caughtUp(leader.status(), last), () -> "caught up again: " + leader.status());
  }

  @Test
  void noLeaderLooksTheSameInTheStatusTheRoleChangeAndLeader() throws Exception {
    cluster = new LocalCluster(dir, 3);
    ZabNode alone = cluster.start(1);
    List<RoleChange> heard = new CopyOnWriteArrayList<>();
    alone.addListener(heard::add);
    assertThat(alone.leader()).isEmpty();
    assertThat(alone.status().leader()).isEmpty();
    assertThat(alone.status().role()).isEqualTo(Role.LOOKING);

    cluster.start(2);
    cluster.start(3);
    ZabNode leader = cluster.awaitLeader();
    long follower = leader.serverId() == 1 ? 2 : 1;
    if (leader.serverId() != 1) {
      awaitCondition(WAIT, () -> heard.stream().anyMatch(e -> e.role() == Role.FOLLOWING),
          () -> "server 1 to announce FOLLOWING: " + heard);
      assertThat(heard).filteredOn(e -> e.role() == Role.FOLLOWING)
          .allMatch(e -> e.leader().equals(OptionalLong.of(leader.serverId())));
    }
    List<RoleChange> fromFollower = new CopyOnWriteArrayList<>();
    cluster.node(follower).addListener(fromFollower::add);
    cluster.stop(leader.serverId());
    awaitCondition(WAIT, () -> fromFollower.stream().anyMatch(e -> e.role() == Role.LOOKING),
        () -> "server " + follower + " to announce LOOKING: " + fromFollower);
    RoleChange looking = fromFollower.stream().filter(e -> e.role() == Role.LOOKING).findFirst().orElseThrow();
    assertThat(looking.leader()).as("no leader in a RoleChange").isEmpty();
  }

  @Test
  void listenersGetTheStatusEveryPeriodOnTheCallbackThread() throws Exception {
    cluster = new LocalCluster(dir, 1, b -> b.statusPeriod(Duration.ofMillis(40)));
    ZabNode node = cluster.start(1);
    List<ZabStatus> reports = new CopyOnWriteArrayList<>();
    List<String> threads = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> three = new CompletableFuture<>();
    node.addStatusListener(s -> {
      reports.add(s);
      threads.add(Thread.currentThread().getName());
      if (reports.size() == 3) {
        three.complete(null);
      }
    });
    three.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(threads).allMatch(t -> t.equals("zab-callback-1"));
    assertThat(reports).allMatch(s -> s.serverId() == 1);
    assertThat(reports.get(2).time()).isAfter(reports.get(0).time());
  }

  @Test
  void aClosedNodeSaysLooking() throws Exception {
    cluster = new LocalCluster(dir, 1);
    ZabNode node = cluster.start(1);
    Zxid z = node.submit(bytes("x")).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    awaitCondition(WAIT, () -> node.status().role() == Role.LEADING, () -> "leading: " + node.status());
    cluster.stop(1);
    ZabStatus s = node.status();
    assertThat(s.role()).isEqualTo(Role.LOOKING);
    assertThat(s.leader()).isEmpty();
    assertThat(s.established()).isFalse();
    assertThat(s.lastZxid()).isEqualTo(z);
    assertThat(s.appliedZxid()).isEqualTo(z);
  }

  private static boolean caughtUp(ZabStatus s, Zxid last) {
    return s.role() == Role.LEADING && s.followers().size() == 2 && s.followers().stream().allMatch(f -> f.connected()
        && f.phase() == FollowerStatus.Phase.SYNCED && f.ackedZxid().equals(last) && f.lagTxns() == 0
        && f.lagBytes() == 0);
  }
}
