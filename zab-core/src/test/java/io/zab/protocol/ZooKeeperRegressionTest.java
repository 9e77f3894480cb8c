package io.zab.protocol;

import static io.zab.protocol.S4VoteOrderTest.txns;
import static io.zab.protocol.S7SyncTest.concat;
import static io.zab.protocol.S7SyncTest.syncStream;
import static org.assertj.core.api.Assertions.assertThat;

import io.zab.Role;
import io.zab.Zxid;
import io.zab.protocol.Action.Append;
import io.zab.protocol.Action.Complete;
import io.zab.protocol.Action.DiscardSnapshot;
import io.zab.protocol.Action.InstallSnapshot;
import io.zab.protocol.Action.Reject;
import io.zab.protocol.Action.SaveCurrentEpoch;
import io.zab.protocol.Action.Send;
import io.zab.wire.Message;
import io.zab.wire.Message.Ack;
import io.zab.wire.Message.AckNewLeader;
import io.zab.wire.Message.Diff;
import io.zab.wire.Message.NewLeader;
import io.zab.wire.Message.Proposal;
import io.zab.wire.Message.Trunc;
import io.zab.wire.Message.UpToDate;
import io.zab.wire.Txn;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * One regression test per ZooKeeper bug class of LESSONS.md, against the pure core. Each test fails if the
 * order or check it protects is removed. The runtime half (the same orders carried out on real files, and
 * shutdown) is {@code io.zab.runtime.ZooKeeperRuntimeRegressionTest}; docs/protocol.md lists both.
 */
class ZooKeeperRegressionTest {

  /**
   * Server 1 holds (1,1); 3 leads with (1,1)..(1,4) and must send 1 a DIFF plus three proposals. 1's fsyncs
   * are manual, and 1 and 3 are the only quorum, so 3 cannot establish without 1's NEWLEADER ack.
   */
  private static CoreCluster diffSyncWithManualFsyncOn1() {
    CoreCluster c = new CoreCluster(3)
        .withState(1, new PersistentState(1, 1, Zxid.ZERO, txns(1, 1)))
        .withState(2, new PersistentState(1, 1, Zxid.ZERO, txns(1, 4)))
        .withState(3, new PersistentState(1, 1, Zxid.ZERO, txns(1, 4)));
    c.manualPersist(1, true);
    c.start(1, 3);
    c.tickUntil(() -> syncStream(c, 3, 1).contains(new NewLeader(2, Zxid.of(1, 4))), 50);
    c.ticks(3);
    assertThat(syncStream(c, 3, 1)).startsWith(new Diff(Zxid.of(1, 1)), new Proposal(txns(1, 4).subList(1, 4)));
    return c;
  }

  /** Protects: a follower acks NEWLEADER only once every txn of the DIFF is fsynced (a prefix is not enough). */
  @Test
  void ZOOKEEPER_3911_newLeaderIsNotAckedBeforeTheDiffTxnsAreDurable() {
    CoreCluster c = diffSyncWithManualFsyncOn1();
    assertThat(c.sent(1, 3)).noneMatch(m -> m instanceof AckNewLeader);
    assertThat(c.step(1, new Event.Persisted(Zxid.of(1, 3)))).as("(1,4) is not durable yet: only the ack of the"
        + " durable prefix, which the leader's flow control counts").containsExactly(new Send(3, new Ack(Zxid.of(1, 3))));
    assertThat(c.peer(3).established()).isFalse();

    assertThat(c.step(1, new Event.Persisted(c.disk(1).fsync()))).contains(new Send(3, new AckNewLeader(2)));
    c.run();
    assertThat(c.peer(3).established()).isTrue();
    assertThat(c.sent(3, 1)).contains(new UpToDate(Zxid.of(1, 4)));
  }

  /** Protects: txns durable, THEN currentEpoch saved, THEN the NEWLEADER ack (one action list, in that order). */
  @Test
  void ZOOKEEPER_4643_currentEpochIsSavedAfterTheTxnsAreDurableAndBeforeTheAck() {
    CoreCluster c = diffSyncWithManualFsyncOn1();
    assertThat(c.actionsOf(1)).as("no currentEpoch before the synced txns are durable")
        .noneMatch(a -> a instanceof SaveCurrentEpoch);
    assertThat(c.disk(1).currentEpoch()).isEqualTo(1);

    List<Action> onDurable = c.step(1, new Event.Persisted(c.disk(1).fsync()));
    assertThat(onDurable).containsExactly(new SaveCurrentEpoch(2), new Send(3, new AckNewLeader(2)));
    assertThat(c.disk(1).currentEpoch()).isEqualTo(2);
  }

  /** Protects: a proposal is acked only after the log reports it durable (the ack cannot overtake the fsync). */
  @Test
  void ZOOKEEPER_4646_4685_aProposalIsAckedOnlyAfterItsFsync() {
    CoreCluster c = new CoreCluster(3).startAllEstablished();
    c.manualPersist(1, true);
    c.manualPersist(2, true);
    c.manualPersist(3, true);
    c.submit(3, 1, "v1");
    assertThat(c.disk(1).last()).isEqualTo(Zxid.of(1, 1));
    assertThat(c.sent(1, 3)).as("appended, not fsynced: no ack").noneMatch(m -> m instanceof Ack);
    assertThat(c.peer(3).committedZxid()).isEqualTo(Zxid.ZERO);

    assertThat(c.step(1, new Event.Persisted(c.disk(1).fsync()))).containsExactly(new Send(3, new Ack(Zxid.of(1, 1))));
  }

  /** Protects: a follower holding an uncommitted txn of an old epoch is TRUNCated, not DIFFed past it. */
  @Test
  void ZOOKEEPER_1154_anUncommittedTxnOfAnOldEpochIsTruncatedAway() {
    List<Txn> epoch2 = concat(txns(1, 2), List.of(new Txn(Zxid.of(2, 1), "e2".getBytes())));
    CoreCluster c = new CoreCluster(3)
        .withState(1, new PersistentState(1, 1, Zxid.ZERO, txns(1, 3))) // (1,3) never committed
        .withState(2, new PersistentState(2, 2, Zxid.ZERO, epoch2))
        .withState(3, new PersistentState(2, 2, Zxid.ZERO, epoch2));
    c.startAllEstablished();
    assertThat(syncStream(c, 3, 1)).startsWith(
        new Trunc(Zxid.of(1, 2)), new Proposal(epoch2.subList(2, 3)), new NewLeader(3, Zxid.of(2, 1)));
    assertThat(c.disk(1).log()).isEqualTo(epoch2);
    assertThat(c.deliveredZxids(1)).containsExactly(Zxid.of(1, 1), Zxid.of(1, 2), Zxid.of(2, 1));
  }

  /** Protects: a gap in the sync stream or in broadcast is refused loudly, never appended. */
  @Test
  void ZOOKEEPER_4785_4925_aZxidGapInSyncOrBroadcastIsRefused() {
    CoreCluster c = new CoreCluster(3)
        .withState(1, new PersistentState(1, 1, Zxid.ZERO, txns(1, 2)))
        .withState(2, new PersistentState(1, 1, Zxid.ZERO, txns(1, 5)))
        .withState(3, new PersistentState(1, 1, Zxid.ZERO, txns(1, 5)));
    c.start(2, 3);
    c.tickUntil(() -> c.allEstablished(2, 3), 50);
    c.pause(3, 1);
    c.start(1);
    for (int i = 0; i < 200 && !c.queued(3, 1).contains(new Diff(Zxid.of(1, 2))); i++) {
      if (c.queued(3, 1).isEmpty()) {
        c.tick();
      } else {
        c.deliverOne(3, 1);
        c.run();
      }
    }
    while (!(c.deliverOne(3, 1) instanceof Diff)) {
      c.run();
    }
    // (1,3) lost on the way: (1,4) follows (1,2)
    List<Action> out = c.step(1, new Event.Received(3, new Proposal(txns(1, 5).subList(3, 5))));
    assertThat(out).noneMatch(a -> a instanceof Append);
    assertThat(c.peer(1).lastZxid()).isEqualTo(Zxid.of(1, 2));
    assertThat(c.peer(1).role()).isNotEqualTo(Role.FOLLOWING);

    CoreCluster b = new CoreCluster(3).startAllEstablished();
    List<Action> gap = b.step(1, new Event.Received(3, new Proposal(List.of(new Txn(Zxid.of(1, 2), new byte[0])))));
    assertThat(gap).noneMatch(a -> a instanceof Append);
    assertThat(b.peer(1).lastZxid()).isEqualTo(Zxid.ZERO);
    assertThat(b.peer(1).role()).isEqualTo(Role.LOOKING);
  }

  /** Protects: an interrupted SNAP is discarded whole; nothing of it survives to be DIFFed on later. */
  @Test
  void ZOOKEEPER_3642_anInterruptedSnapshotIsDiscardedWhole() {
    List<Txn> all = txns(1, 7);
    PersistentState snapshotted = new PersistentState(1, 1, Zxid.of(1, 5), all.subList(5, 7));
    CoreCluster c = new CoreCluster(3).withState(2, snapshotted).withState(3, snapshotted);
    c.start(2, 3);
    c.tickUntil(() -> c.allEstablished(2, 3), 50);
    c.pause(3, 1);
    c.start(1);
    for (int i = 0; i < 200; i++) { // hand 3's messages to 1 one at a time, up to the first snapshot chunk
      List<Message> q = c.queued(3, 1);
      if (!q.isEmpty() && q.get(0) instanceof Message.SnapChunk) {
        break;
      }
      if (q.isEmpty()) {
        c.tick();
      } else {
        c.deliverOne(3, 1);
        c.run();
      }
    }
    assertThat(c.deliverOne(3, 1)).isInstanceOf(Message.SnapChunk.class);
    assertThat(c.actionsOf(1)).filteredOn(a -> a instanceof InstallSnapshot).hasSize(1);
    c.partition(Set.of(3L));
    assertThat(c.actionsOf(1)).contains(new DiscardSnapshot());
    assertThat(c.peer(1).role()).isNotEqualTo(Role.FOLLOWING);
    assertThat(c.disk(1).snapshotZxid()).isEqualTo(Zxid.ZERO);

    c.heal();
    c.resume(3, 1);
    c.tickUntil(() -> c.allEstablished(1, 2, 3), 100);
    assertThat(c.disk(1).snapshotZxid()).isEqualTo(Zxid.of(1, 5));
    assertThat(c.disk(1).log()).isEqualTo(all.subList(5, 7));
    assertThat(c.deliveredZxids(1)).isEqualTo(c.deliveredZxids(3)).endsWith(Zxid.of(1, 7));
  }

  /** Protects: when the counter runs out, the leader rolls into a new epoch and no write is rejected or lost. */
  @Test
  void ZOOKEEPER_1277_counterExhaustionRollsIntoANewEpochWithoutRejectingWrites() {
    CoreCluster c = new CoreCluster(3);
    for (long sid = 1; sid <= 3; sid++) {
      c.withFirstCounter(sid, Zxid.MAX_COUNTER - 1);
    }
    c.startAllEstablished();
    c.submit(3, 1, "w1");
    c.submit(3, 2, "w2");
    assertThat(c.peer(3).committedZxid()).isEqualTo(Zxid.of(1, Zxid.MAX_COUNTER));
    c.submit(3, 3, "held");
    c.tickUntil(() -> c.allEstablished(1, 2, 3) && c.peer(3).currentEpoch() == 2, 80);
    assertThat(c.answers.get(3L)).noneMatch(a -> a instanceof Reject);
    assertThat(c.answers.get(3L)).contains(new Complete(3, Zxid.of(2, Zxid.MAX_COUNTER - 1)));
    assertThat(c.deliveredZxids(1)).containsExactly(
        Zxid.of(1, Zxid.MAX_COUNTER - 1), Zxid.of(1, Zxid.MAX_COUNTER), Zxid.of(2, Zxid.MAX_COUNTER - 1));
  }
}
