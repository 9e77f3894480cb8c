package io.zab.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.Zxid;
import io.zab.protocol.Action.Complete;
import io.zab.protocol.Action.Deliver;
import io.zab.protocol.Action.InstallSnapshot;
import io.zab.wire.Message;
import io.zab.wire.Message.Proposal;
import io.zab.wire.Message.RejectCode;
import io.zab.wire.Message.RequestReply;
import io.zab.wire.MessageCodec;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 (S8, S9): on the server a write was submitted to, the core emits the write's {@code Complete} before
 * the {@code Deliver} of its txn, so the runtime knows whose future the result of that apply belongs to before
 * the apply happens. On the leader that is the order of one commit's actions; on a follower it needs the leader's
 * reply (which names the zxid) to precede the proposal on the channel, also when flow control holds the proposal
 * back until after the txn committed. (CoreCluster checks the order after every step of every core test; these
 * are the cases that once broke it.)
 */
class ResultHandoffOrderTest {
  private static final int MIB = 1 << 20;

  @Test
  void S8_onTheLeaderAWritesCompleteComesBeforeItsDeliver() {
    CoreCluster c = new CoreCluster(3);
    c.startAllEstablished();
    c.submit(3, 1, "a");
    List<Action> all = c.actionsOf(3);
    assertThat(indexOfComplete(all, 1)).isGreaterThanOrEqualTo(0)
        .isLessThan(indexOfDeliver(all, Zxid.of(1, 1)));
  }

  @Test
  void S9_theLeadersReplyToAForwardedWritePrecedesItsProposal_andTheFollowerCompletesBeforeItDelivers() {
    CoreCluster c = new CoreCluster(3);
    c.startAllEstablished();
    c.pause(3, 1);
    c.submit(1, 7, "x");
    List<Message> toFollower = c.queued(3, 1);
    int reply = toFollower.indexOf(new RequestReply(7, Zxid.of(1, 1), RejectCode.NONE));
    int proposal = indexOf(toFollower, Proposal.class);
    assertThat(reply).as("the reply is on the channel").isGreaterThanOrEqualTo(0);
    assertThat(reply).as("the reply precedes the proposal (FIFO)").isLessThan(proposal);
    c.resume(3, 1);
    List<Action> all = c.actionsOf(1);
    assertThat(indexOfComplete(all, 7)).isGreaterThanOrEqualTo(0).isLessThan(indexOfDeliver(all, Zxid.of(1, 1)));
  }

  /** The case that needed the reply moved: the proposal reaches the follower only after its txn committed. */
  @Test
  void S9_aFollowerHeldBackByFlowControlStillCompletesItsWriteBeforeDeliveringIt() {
    CoreCluster c = new CoreCluster(3).withLimits(MIB, 1_000, 1_000, MessageCodec.DEFAULT_MAX_FRAME_BYTES, 2L * MIB);
    c.startAllEstablished();
    c.manualPersist(1, true); // 1 never acks: its window fills and the stream to it pauses
    for (int i = 1; i <= 4; i++) {
      c.submit(3, i, "y".repeat(MIB));
    }
    c.submit(1, 50, "mine"); // forwarded by the paused follower; 3 and 2 commit it
    Zxid mine = Zxid.of(1, 5);
    assertThat(c.peer(3).committedZxid()).isEqualTo(mine);
    assertThat(c.peer(1).lastZxid()).as("its proposal is held back").isLessThan(mine);

    c.manualPersist(1, false);
    c.persist(1);
    c.run(); // acks reopen the window: the proposal arrives with the commit point already past it
    List<Action> all = c.actionsOf(1);
    assertThat(indexOfDeliver(all, mine)).as("delivered here").isGreaterThanOrEqualTo(0);
    assertThat(indexOfComplete(all, 50)).isGreaterThanOrEqualTo(0).isLessThan(indexOfDeliver(all, mine));
  }

  /** The one case without a result: the txn reaches the submitter inside the leader's snapshot. */
  @Test
  void S7_aWriteCoveredByACatchUpSnapshotCompletesAfterTheInstall_withoutADeliver() {
    CoreCluster c = new CoreCluster(3).withLimits(MIB, 1_000, 1_000, MessageCodec.DEFAULT_MAX_FRAME_BYTES, 2L * MIB);
    c.startAllEstablished();
    c.manualPersist(1, true);
    for (int i = 1; i <= 4; i++) {
      c.submit(3, i, "y".repeat(MIB));
    }
    c.submit(1, 50, "mine");
    for (int i = 6; i <= 30; i++) {
      c.submit(3, i, "z".repeat(MIB));
    }
    Zxid committed = c.peer(3).committedZxid();
    c.step(3, new Event.SnapshotTaken(committed)); // the leader keeps 8 MiB of txns: 1's position is gone
    c.disk(3).snapshotTaken(committed);

    c.manualPersist(1, false);
    c.persist(1);
    c.run();
    List<Action> all = c.actionsOf(1);
    Zxid mine = Zxid.of(1, 5);
    assertThat(indexOfDeliver(all, mine)).as("never delivered: it came in the snapshot").isNegative();
    int install = -1;
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i) instanceof InstallSnapshot is && is.chunk().last()) {
        install = i;
      }
    }
    assertThat(install).isGreaterThanOrEqualTo(0);
    assertThat(all.get(indexOfComplete(all, 50))).isEqualTo(new Complete(50, mine));
    assertThat(indexOfComplete(all, 50)).isGreaterThan(install);
  }

  private static int indexOfComplete(List<Action> actions, long requestId) {
    for (int i = 0; i < actions.size(); i++) {
      if (actions.get(i) instanceof Complete done && done.requestId() == requestId) {
        return i;
      }
    }
    return -1;
  }

  private static int indexOfDeliver(List<Action> actions, Zxid zxid) {
    for (int i = 0; i < actions.size(); i++) {
      if (actions.get(i) instanceof Deliver d && d.txns().stream().anyMatch(t -> t.zxid().equals(zxid))) {
        return i;
      }
    }
    return -1;
  }

  private static int indexOf(List<Message> messages, Class<?> type) {
    for (int i = 0; i < messages.size(); i++) {
      if (type.isInstance(messages.get(i))) {
        return i;
      }
    }
    return -1;
  }
}
