package io.zab.protocol;

import static io.zab.protocol.S4VoteOrderTest.txns;
import static org.assertj.core.api.Assertions.assertThat;

import io.zab.Role;
import io.zab.Zxid;
import io.zab.protocol.Action.InstallSnapshot;
import io.zab.protocol.Action.SaveCurrentEpoch;
import io.zab.protocol.Action.SendSnapshot;
import io.zab.wire.Message;
import io.zab.wire.Message.AckNewLeader;
import io.zab.wire.Message.Diff;
import io.zab.wire.Message.NewLeader;
import io.zab.wire.Message.Notification;
import io.zab.wire.Message.Ping;
import io.zab.wire.Message.Proposal;
import io.zab.wire.Message.Trunc;
import io.zab.wire.Txn;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * S7 synchronization: DIFF, TRUNC, SNAP. The durable-before-ack order of NEWLEADER, TRUNC of an old epoch's
 * uncommitted txn and the interrupted SNAP are proven in {@link ZooKeeperRegressionTest}.
 */
class S7SyncTest {

  /** The sync stream from leader to follower: what follows discovery, without votes and heartbeats. */
  static List<Message> syncStream(CoreCluster c, long leader, long follower) {
    return c.sent(leader, follower).stream()
        .filter(m -> !(m instanceof Notification) && !(m instanceof Ping) && !(m instanceof Message.LeaderInfo))
        .toList();
  }

  static List<Txn> concat(List<Txn> a, List<Txn> b) {
    List<Txn> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  @Test
  void diffSendsOnlyWhatTheFollowerLacks() {
    CoreCluster c = new CoreCluster(3)
        .withState(1, new PersistentState(1, 1, Zxid.ZERO, txns(1, 3)))
        .withState(2, new PersistentState(1, 1, Zxid.ZERO, txns(1, 5)))
        .withState(3, new PersistentState(1, 1, Zxid.ZERO, txns(1, 5)));
    c.startAllEstablished();
    assertThat(c.leaders()).containsExactly(3L);
    assertThat(syncStream(c, 3, 1)).startsWith(
        new Diff(Zxid.of(1, 3)), new Proposal(txns(1, 5).subList(3, 5)), new NewLeader(2, Zxid.of(1, 5)));
    assertThat(syncStream(c, 3, 2)).startsWith(new Diff(Zxid.of(1, 5)), new NewLeader(2, Zxid.of(1, 5)));
    assertThat(c.disk(1).log()).isEqualTo(txns(1, 5));
    assertThat(c.deliveredZxids(1)).isEqualTo(c.deliveredZxids(3)).hasSize(5);
  }

  @Test
  void truncCutsALateFollowerBackToTheLeadersLastZxid() {
    CoreCluster c = new CoreCluster(3)
        .withState(1, new PersistentState(1, 1, Zxid.ZERO, txns(1, 4)))
        .withState(2, new PersistentState(1, 1, Zxid.ZERO, txns(1, 2)))
        .withState(3, new PersistentState(1, 1, Zxid.ZERO, txns(1, 2)));
    c.start(2, 3); // 1 is down while 2 and 3 elect: its (1,3), (1,4) were never committed
    c.tickUntil(() -> c.allEstablished(2, 3), 50);
    c.start(1);
    c.tickUntil(() -> c.allEstablished(1), 50);
    assertThat(syncStream(c, 3, 1)).startsWith(new Trunc(Zxid.of(1, 2)), new NewLeader(2, Zxid.of(1, 2)));
    assertThat(c.disk(1).log()).isEqualTo(txns(1, 2));
  }

  @Test
  void snapSyncsAFollowerOlderThanTheLeadersInMemoryHistory() {
    List<Txn> all = txns(1, 7);
    PersistentState snapshotted = new PersistentState(1, 1, Zxid.of(1, 5), all.subList(5, 7));
    CoreCluster c = new CoreCluster(3)
        .withState(1, new PersistentState(1, 1, Zxid.ZERO, all.subList(0, 2)))
        .withState(2, snapshotted)
        .withState(3, snapshotted);
    c.startAllEstablished();
    assertThat(c.actionsOf(3)).contains(new SendSnapshot(1, Zxid.of(1, 5)));
    assertThat(syncStream(c, 3, 1)).startsWith(new Proposal(all.subList(5, 7)), new NewLeader(2, Zxid.of(1, 7)));
    assertThat(c.actionsOf(1)).filteredOn(a -> a instanceof InstallSnapshot).hasSize(2);
    assertThat(c.disk(1).snapshotZxid()).isEqualTo(Zxid.of(1, 5));
    assertThat(c.disk(1).log()).isEqualTo(all.subList(5, 7));
    assertThat(c.peer(1).committedZxid()).isEqualTo(Zxid.of(1, 7));
  }

  @Test
  void snapAfterTheLeaderCompactedItsLogPastAFollower() {
    CoreCluster c = new CoreCluster(3).withLimits(64, 1000, 100);
    c.startAllEstablished();
    c.submit(3, 0, "seen by 1");
    c.crash(1);
    int total = Replica.RETAINED_AFTER_SNAPSHOT + 100;
    for (int i = 0; i < total; i += 500) {
      List<Event> submits = new ArrayList<>();
      for (int j = i; j < Math.min(total, i + 500); j++) {
        submits.add(new Event.Submit(j + 1, ("w" + j).getBytes()));
      }
      c.batch(3, submits);
    }
    Zxid committed = c.peer(3).committedZxid();
    assertThat(committed).isEqualTo(Zxid.of(1, total + 1));
    c.step(3, new Event.SnapshotTaken(committed));
    c.disk(3).snapshotTaken(committed);
    c.restart(1);
    c.tickUntil(() -> c.allEstablished(1), 50);
    // 10,000 txns stay in memory: the base is 101 txns in, past 1's last zxid (1,1)
    assertThat(c.actionsOf(3)).contains(new SendSnapshot(1, committed));
    assertThat(c.disk(1).snapshotZxid()).isEqualTo(committed);
    assertThat(c.deliveredZxids(1)).isEqualTo(c.deliveredZxids(3));
  }

  @Test
  void newLeaderSavesItsCurrentEpochOnlyOnceItsOwnLogIsDurable() {
    CoreCluster c = new CoreCluster(3);
    c.startAllEstablished();
    c.manualPersist(2, true);
    c.submit(3, 1, "a"); // 2 appends (1,1) but never reports it durable
    assertThat(c.peer(2).lastZxid()).isEqualTo(Zxid.of(1, 1));
    c.crash(3);
    c.tickUntil(() -> c.peer(2).role() == Role.LEADING && c.sent(1, 2).contains(new AckNewLeader(2)), 60);
    assertThat(c.actionsOf(2)).doesNotContain(new SaveCurrentEpoch(2));
    assertThat(c.peer(2).established()).as("its own (1,1) is not durable yet").isFalse();
    List<Action> out = c.step(2, new Event.Persisted(c.disk(2).fsync()));
    assertThat(out).startsWith(new SaveCurrentEpoch(2));
    assertThat(c.peer(2).established()).isTrue();
  }
}
