package io.zab.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.Role;
import io.zab.Zxid;
import io.zab.protocol.Action.RoleChanged;
import io.zab.protocol.Action.SendSnapshot;
import io.zab.protocol.FollowerProgress.Flow;
import io.zab.wire.Message;
import io.zab.wire.Message.Commit;
import io.zab.wire.Message.NewLeader;
import io.zab.wire.Message.Proposal;
import io.zab.wire.MessageCodec;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 item 3 (S7, S8): a per-follower window of proposal bytes in flight. A follower that does not ack gets no
 * more than the window, the others commit at their pace, and its acks resume the stream (or a snapshot, when the
 * txns it needs were compacted away) without it ever leaving its role.
 */
class FlowControlTest {
  private static final int MIB = 1 << 20;
  private static final int FRAME = MessageCodec.DEFAULT_MAX_FRAME_BYTES;

  private static CoreCluster established(long window) {
    CoreCluster c = new CoreCluster(3).withLimits(MIB, 1_000, 1_000, FRAME, window);
    c.startAllEstablished();
    assertThat(c.leaders()).containsExactly(3L);
    return c;
  }

  @Test
  void S8_aFollowerThatDoesNotAckGetsNoMoreThanTheWindowWhileTheOthersCommit() {
    CoreCluster c = established(4 * MIB);
    c.manualPersist(1, true); // 1's disk never reports: it never acks
    int before = c.sent(3, 1).size();
    for (int i = 1; i <= 20; i++) {
      c.submit(3, i, "x".repeat(MIB));
    }
    assertThat(c.peer(3).committedZxid()).as("3 and 2 commit without 1").isEqualTo(Zxid.of(1, 20));
    List<Message> toOne = c.sent(3, 1).subList(before, c.sent(3, 1).size());
    assertThat(proposalBytes(toOne)).as("proposal bytes 1 never acked").isLessThanOrEqualTo(4L * MIB);
    assertThat(toOne).as("commits still flow").contains(new Commit(Zxid.of(1, 20)));
    FollowerProgress one = c.peer(3).followers().get(0);
    assertThat(one.flow()).isEqualTo(Flow.PAUSED);
    assertThat(one.bytesInFlight()).isLessThanOrEqualTo(4L * MIB);
    c.ticks(10);
    assertThat(c.peer(1).established()).as("1 keeps following: heartbeats flow").isTrue();

    c.manualPersist(1, false);
    c.persist(1);
    c.run(); // its acks reopen the window: the leader streams the rest from its log
    assertThat(c.deliveredZxids(1)).hasSize(20);
    assertThat(c.peer(3).followers().get(0).flow()).isEqualTo(Flow.REPLICATE);
    assertThat(roleChangesOf(c, 1)).as("1 never left its role").isEmpty();
  }

  @Test
  void S7_aFollowerPausedPastTheCompactedLogIsCaughtUpBySnapshotInTheSameEpoch() {
    CoreCluster c = established(2 * MIB);
    c.manualPersist(1, true);
    for (int i = 1; i <= 30; i++) {
      c.submit(3, i, "y".repeat(MIB));
    }
    Zxid committed = c.peer(3).committedZxid();
    assertThat(committed).isEqualTo(Zxid.of(1, 30));
    c.step(3, new Event.SnapshotTaken(committed)); // the leader keeps 8 MiB of txns: 1's position is gone
    c.disk(3).snapshotTaken(committed);
    assertThat(c.peer(1).lastZxid()).isLessThan(Zxid.of(1, 20));

    c.manualPersist(1, false);
    c.persist(1);
    c.run();
    assertThat(c.actionsOf(3)).contains(new SendSnapshot(1, committed));
    assertThat(c.disk(1).snapshotZxid()).isEqualTo(committed);
    assertThat(c.deliveredZxids(1)).isEqualTo(c.deliveredZxids(3)).hasSize(30);
    assertThat(roleChangesOf(c, 1)).as("1 never left its role").isEmpty();
    assertThat(c.peer(1).currentEpoch()).isEqualTo(c.peer(3).currentEpoch());

    c.submit(3, 31, "after");
    assertThat(c.deliveredZxids(1)).last().isEqualTo(Zxid.of(1, 31));
  }

  @Test
  void S7_aSyncStreamIsWindowedToo() {
    CoreCluster c = established(3 * MIB);
    c.partition(Set.of(1L));
    for (int i = 1; i <= 12; i++) {
      c.submit(3, i, "z".repeat(MIB));
    }
    c.manualPersist(1, true);
    int before = c.sent(3, 1).size();
    c.heal();
    c.tickUntil(() -> c.sent(3, 1).stream().skip(before).anyMatch(m -> m instanceof Proposal), 50);
    c.ticks(5);
    List<Message> sync = c.sent(3, 1).subList(before, c.sent(3, 1).size());
    assertThat(proposalBytes(sync)).isLessThanOrEqualTo(3L * MIB);
    assertThat(sync).as("NEWLEADER waits for the end of the stream").noneMatch(m -> m instanceof NewLeader);

    c.manualPersist(1, false);
    c.persist(1);
    c.tickUntil(() -> c.allEstablished(1, 2, 3), 50);
    assertThat(c.deliveredZxids(1)).hasSize(12);
  }

  private static long proposalBytes(List<Message> messages) {
    return messages.stream().filter(m -> m instanceof Proposal)
        .mapToLong(m -> MessageCodec.proposalBytes(((Proposal) m).txns())).sum();
  }

  private static List<Action> roleChangesOf(CoreCluster c, long sid) {
    List<Action> all = c.actionsOf(sid);
    int established = 0;
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i) instanceof RoleChanged rc && rc.role() == Role.FOLLOWING) {
        established = i;
      }
    }
    return all.subList(established + 1, all.size()).stream().filter(a -> a instanceof RoleChanged).toList();
  }
}
