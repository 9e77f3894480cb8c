package io.zab.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.ZabListener.RoleChange;
import io.zab.ZabNode;
import io.zab.Zxid;
import io.zab.protocol.Timing;
import io.zab.transport.LocalNetwork;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 item 3 (S8): a follower that does not read is not disconnected and resynced over and over. The leader
 * sends it at most its window (8 MiB) and goes on committing with the other follower; once it reads again it is
 * caught up on the same connection, from the log or by a snapshot. The in-JVM network closes a connection past
 * Netty's default bound (4 MiB + 2 frames = 36 MiB queued), as the real transport does.
 */
class SlowFollowerTest {
  /** The FAST timing with a 5 s syncLimit, so the stalled follower does not time out while it is held. */
  static final Timing PATIENT = new Timing(3, 10, 300, 250, 5);

  @TempDir
  Path dir;

  @AutoClose
  private LocalCluster cluster;

  @Test
  void S8_aFollowerThatStopsReadingGetsAtMostItsWindowAndCatchesUpWithoutADisconnect() throws Exception {
    LocalNetwork net = LocalNetwork.createWithCodec();
    cluster = new LocalCluster(dir, 3, net, b -> b.timing(PATIENT)).startAll();
    ZabNode leader = cluster.awaitLeader();
    long slow = follower(leader);
    List<RoleChange> roles = listen(slow);

    net.hold(leader.serverId(), slow); // it stops reading what the leader sends
    List<String> written = LocalCluster.writeAll(leader, "w", 48, 1 << 20); // 48 MiB: more than the connection's bound
    assertThat(net.overflows()).as("the leader never filled the connection to the slow follower").isZero();
    net.release(leader.serverId(), slow);

    cluster.awaitApplied(cluster.ids(), written);
    assertThat(net.overflows()).isZero();
    assertThat(roles).as("the slow follower never left its role").isEmpty();
  }

  @Test
  void S7_aFollowerThatStoppedReadingPastTheLeadersCompactedLogIsCaughtUpBySnapshotInItsRole() throws Exception {
    LocalNetwork net = LocalNetwork.createWithCodec();
    cluster = new LocalCluster(dir, 3, net, b -> b.timing(PATIENT).maxInFlightBytes(1 << 20).snapshotEveryTxns(20))
        .startAll();
    ZabNode leader = cluster.awaitLeader();
    long slow = follower(leader);
    List<RoleChange> roles = listen(slow);

    net.hold(leader.serverId(), slow);
    // 200 x 60 KiB = 12 MiB: the leader keeps 8 MiB of txns after its snapshots, so the follower's position is gone
    List<String> written = LocalCluster.writeAll(leader, "s", 200, 60 << 10);
    // Snapshots are written on the leader's snapshot thread (one due while it is busy is taken when it is free),
    // so the last one lies somewhere in the last 20 writes. One at or after the 180th write leaves the leader
    // holding at most the 136 txns (8 MiB) before it, so the follower's position (at most 1 MiB in) is gone.
    Zxid last = leader.committedZxid();
    cluster.awaitSnapshotAtLeast(leader.serverId(), Zxid.of(last.epoch(), last.counter() - 20));
    net.release(leader.serverId(), slow);

    cluster.awaitApplied(cluster.ids(), written);
    assertThat(cluster.sm(slow).restores()).as("caught up by the leader's snapshot").isEqualTo(1);
    assertThat(roles).as("the slow follower never left its role").isEmpty();
    assertThat(net.overflows()).isZero();
  }

  private long follower(ZabNode leader) {
    return cluster.ids().stream().filter(id -> id != leader.serverId()).findFirst().orElseThrow();
  }

  /** Role changes of {@code id} from now on. */
  private List<RoleChange> listen(long id) {
    List<RoleChange> heard = new CopyOnWriteArrayList<>();
    cluster.node(id).addListener(heard::add);
    return heard;
  }
}
