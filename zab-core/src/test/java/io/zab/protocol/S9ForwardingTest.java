package io.zab.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.Zxid;
import io.zab.protocol.Action.Complete;
import io.zab.protocol.Action.Reject;
import io.zab.protocol.Action.Send;
import io.zab.wire.Message;
import io.zab.wire.Message.Commit;
import io.zab.wire.Message.Proposal;
import io.zab.wire.Message.RejectCode;
import io.zab.wire.Message.Request;
import io.zab.wire.Message.RequestReply;
import io.zab.wire.Message.SyncReply;
import io.zab.wire.Message.SyncRequest;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** S9: writes submitted on a follower are forwarded to the leader; read barriers; answers on role loss. */
class S9ForwardingTest {

  private static CoreCluster established3() {
    CoreCluster c = new CoreCluster(3);
    c.startAllEstablished();
    return c;
  }

  @Test
  void writeOnAFollowerCompletesThereAfterItCommits() {
    CoreCluster c = established3();
    c.pause(3, 1);
    List<Action> out = c.step(1, new Event.Submit(7, "x".getBytes()));
    assertThat(out).containsExactly(new Send(3, new Request(7, "x".getBytes())));
    c.run();
    List<Message> toFollower = c.queued(3, 1);
    int proposal = indexOf(toFollower, Proposal.class);
    int reply = toFollower.indexOf(new RequestReply(7, Zxid.of(1, 1), RejectCode.NONE));
    assertThat(proposal).isGreaterThanOrEqualTo(0);
    assertThat(reply).as("the reply precedes the proposal on the FIFO channel (issue 16)").isGreaterThanOrEqualTo(0)
        .isLessThan(proposal);
    assertThat(c.answers.get(1L)).isEmpty();
    c.resume(3, 1);
    assertThat(c.answers.get(1L)).containsExactly(new Complete(7, Zxid.of(1, 1)));
    assertThat(c.deliveredZxids(1)).containsExactly(Zxid.of(1, 1));
  }

  @Test
  void followerCompletesOnlyOnceItsOwnCommitPointReachesTheZxid() {
    CoreCluster c = established3();
    c.pause(3, 1);
    c.submit(1, 7, "x");
    List<Message> held = new java.util.ArrayList<>();
    c.hold(3, 1, held);
    // deliver everything but the commit: the reply alone must not complete the request
    for (Message m : held) {
      if (!(m instanceof Commit)) {
        c.step(1, new Event.Received(3, m));
      }
    }
    assertThat(c.answers.get(1L)).isEmpty();
    c.step(1, new Event.Received(3, new Commit(Zxid.of(1, 1))));
    assertThat(c.answers.get(1L)).containsExactly(new Complete(7, Zxid.of(1, 1)));
  }

  @Test
  void leaderRejectionReachesTheFollowersClient() {
    CoreCluster c = new CoreCluster(3).withLimits(4, 100, 100);
    c.startAllEstablished();
    c.step(1, new Event.Submit(8, "12345".getBytes())); // checked locally: too large
    c.step(3, new Event.Received(1, new Request(9, "12345".getBytes())));
    c.run();
    assertThat(c.answers.get(1L)).containsExactly(new Reject(8, RejectCode.TOO_LARGE, 3));
    assertThat(c.sent(3, 1)).contains(new RequestReply(9, Zxid.ZERO, RejectCode.TOO_LARGE));
  }

  @Test
  void readBarrierOnFollowerCompletesAtTheLeadersCommitPoint() {
    CoreCluster c = established3();
    c.submit(3, 1, "a");
    c.submit(3, 2, "b");
    List<Action> out = c.step(2, new Event.ReadBarrier(5));
    assertThat(out).containsExactly(new Send(3, new SyncRequest(5)));
    c.run();
    assertThat(c.sent(3, 2)).contains(new SyncReply(5, Zxid.of(1, 2)));
    assertThat(c.answers.get(2L)).containsExactly(new Complete(5, Zxid.of(1, 2)));
  }

  @Test
  void readBarrierOnLeaderCompletesAtItsCommitPointOnceAQuorumConfirmedItLeads() {
    CoreCluster c = established3();
    c.submit(3, 1, "a");
    c.step(3, new Event.ReadBarrier(9));
    assertThat(c.answers.get(3L)).containsExactly(new Complete(1, Zxid.of(1, 1)));
    c.run();
    assertThat(c.answers.get(3L)).containsExactly(new Complete(1, Zxid.of(1, 1)), new Complete(9, Zxid.of(1, 1)));
  }

  @Test
  void submitWhileLookingIsRejectedNoQuorum() {
    CoreCluster c = new CoreCluster(3);
    c.start(1);
    assertThat(c.step(1, new Event.Submit(1, "a".getBytes())))
        .containsExactly(new Reject(1, RejectCode.NO_QUORUM, 0));
    assertThat(c.step(1, new Event.ReadBarrier(2))).containsExactly(new Reject(2, RejectCode.NO_QUORUM, 0));
  }

  @Test
  void forwardedWriteGetsOutcomeUnknownWhenTheLeaderIsLost() {
    CoreCluster c = established3();
    c.pause(3, 1);
    c.submit(1, 7, "x");
    c.step(1, new Event.ReadBarrier(8));
    c.partition(Set.of(3L));
    assertThat(c.answers.get(1L)).containsExactlyInAnyOrder(
        new Reject(7, RejectCode.OUTCOME_UNKNOWN, 0), new Reject(8, RejectCode.NO_QUORUM, 0));
  }

  @Test
  void leaderProposalsGetOutcomeUnknownWhenItStepsDown() {
    CoreCluster c = established3();
    c.pause(1, 3);
    c.pause(2, 3);
    c.submit(3, 4, "x");
    c.partition(Set.of(3L));
    c.tickUntil(() -> !c.peer(3).established(), 30);
    assertThat(c.answers.get(3L)).containsExactly(new Reject(4, RejectCode.OUTCOME_UNKNOWN, 0));
  }

  /** Issue 10 item 2: forwarded writes pass admission by bytes and count; the excess is refused before sending. */
  @Test
  void aBurstOfLargeWritesOnAFollowerForwardsOnlyTheWindowAndRefusesTheRestAtOnce() {
    int mib = 1 << 20;
    CoreCluster c = new CoreCluster(3).withLimits(mib, 1_000, 1_000, io.zab.wire.MessageCodec.DEFAULT_MAX_FRAME_BYTES,
        4L * mib);
    c.startAllEstablished();
    c.pause(1, 3); // the leader has not read them yet
    List<Event> burst = new java.util.ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      burst.add(new Event.Submit(i, new byte[mib]));
    }
    List<Action> out = c.batch(1, burst);
    List<Long> forwarded = out.stream().filter(a -> a instanceof Send s && s.message() instanceof Request)
        .map(a -> ((Request) ((Send) a).message()).requestId()).toList();
    assertThat(forwarded).as("3 x (1 MiB + 14 bytes) fit 4 MiB; a 4th does not").containsExactly(1L, 2L, 3L);
    assertThat(out).filteredOn(a -> a instanceof Reject).containsExactly(
        java.util.stream.LongStream.rangeClosed(4, 10).mapToObj(id -> (Action) new Reject(id, RejectCode.OVERLOADED, 3))
            .toArray(Action[]::new));
    c.resume(1, 3);
    assertThat(c.answers.get(1L)).filteredOn(a -> a instanceof Complete).hasSize(3);
    assertThat(c.peer(1).established()).isTrue();
    c.submit(1, 11, "after the replies");
    assertThat(c.answers.get(1L)).as("replies freed the room").contains(new Complete(11, Zxid.of(1, 4)));
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
