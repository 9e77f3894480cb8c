package io.zab.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.Zxid;
import io.zab.protocol.Action.Complete;
import io.zab.protocol.Action.Reject;
import io.zab.protocol.Action.Send;
import io.zab.wire.Message.RejectCode;
import io.zab.wire.Message.SyncReply;
import io.zab.wire.Message.SyncRequest;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * S9 read barriers are linearizable: the leader answers at the commit point it had when the barrier arrived,
 * but only after a quorum confirmed its leadership in a round issued after that (Raft's ReadIndex). A leader
 * that was paused and replaced must not answer with its stale commit point.
 */
class ReadBarrierConfirmationTest {

  @Test
  void healthyLeaderCompletesItsBarrierAfterOneQuorumRound() {
    CoreCluster c = new CoreCluster(3).startAllEstablished();
    c.submit(3, 1, "a");
    c.answers.get(3L).clear(); // the write's own answer
    c.pause(1, 3);
    c.pause(2, 3);
    List<Action> out = c.step(3, new Event.ReadBarrier(9));
    assertThat(out).containsExactly(new Send(1, new SyncRequest(1)), new Send(2, new SyncRequest(1)));
    c.run();
    assertThat(c.answers.get(3L)).as("no answer before any follower echoed").isEmpty();
    c.deliverOne(1, 3); // follower 1's echo: {3, 1} is a quorum
    assertThat(c.answers.get(3L)).containsExactly(new Complete(9, Zxid.of(1, 1)));
  }

  @Test
  void barriersArrivingDuringARoundShareTheNextRound() {
    CoreCluster c = new CoreCluster(3).startAllEstablished();
    c.pause(1, 3);
    c.pause(2, 3);
    c.step(3, new Event.ReadBarrier(1));
    c.run();
    assertThat(c.step(3, new Event.ReadBarrier(2))).as("round 1 is in flight").isEmpty();
    assertThat(c.step(3, new Event.ReadBarrier(3))).isEmpty();
    c.submit(3, 4, "a"); // commits after barrier 3 arrived: not part of its answer
    c.deliverOne(1, 3); // echo of round 1: barrier 1 completes, round 2 starts for barriers 2 and 3
    assertThat(c.answers.get(3L)).containsExactly(new Complete(1, Zxid.ZERO));
    assertThat(c.queued(3, 1)).containsSubsequence(List.of(new SyncRequest(2)));
    c.resume(1, 3);
    assertThat(c.answers.get(3L)).as("2 and 3 answer at the commit point they arrived at")
        .containsExactlyInAnyOrder(new Complete(1, Zxid.ZERO), new Complete(2, Zxid.ZERO),
            new Complete(3, Zxid.ZERO), new Complete(4, Zxid.of(1, 1)));
  }

  /** The round's SyncRequests are lost (say the links broke and came back): the next ping resends it. */
  @Test
  void aRoundWhoseRequestsWereLostIsResentWithThePings() {
    CoreCluster c = new CoreCluster(3).startAllEstablished();
    c.pause(3, 1);
    c.pause(3, 2);
    c.step(3, new Event.ReadBarrier(9));
    c.hold(3, 1, new java.util.ArrayList<>());
    c.hold(3, 2, new java.util.ArrayList<>());
    c.resume(3, 1);
    c.resume(3, 2);
    assertThat(c.answers.get(3L)).isEmpty();
    c.tickUntil(() -> !c.answers.get(3L).isEmpty(), 3); // pingIntervalTicks = 3
    assertThat(c.answers.get(3L)).containsExactly(new Complete(9, Zxid.ZERO));
  }

  /**
   * A round in flight whose followers leave the ensemble before they echo it: once the leader alone is a quorum of
   * its membership, the round is confirmed with the next ping. Before, only an echo re-counted the round, the removed
   * followers never sent one, and this barrier and every later one (a round starts only once the one in flight is
   * confirmed) waited until the leader lost its leadership (seed 39921 of the randomized membership run: two
   * barriers unanswered for the 30 s the run waits).
   */
  @Test
  void aRoundIsConfirmedByTheQuorumOfTheMembershipInForceWhenItsFollowersAreRemoved() {
    CoreCluster c = new CoreCluster(3).startAllEstablished();
    c.pause(3, 1);
    c.pause(3, 2);
    c.step(3, new Event.ReadBarrier(9)); // round 1's requests are lost
    c.hold(3, 1, new java.util.ArrayList<>());
    c.hold(3, 2, new java.util.ArrayList<>());
    c.resume(3, 1);
    c.resume(3, 2);
    Action removed = c.ask(3, new Event.Reconfigure(10, ReconfigurationTest.voters(3), 50), 10, 100);
    assertThat(removed).isInstanceOf(Complete.class);
    assertThat(c.peer(3).membership().voterIds()).containsExactly(3L);
    c.tickUntil(() -> c.answers.get(3L).stream().anyMatch(a -> a instanceof Complete d && d.requestId() == 9), 10);
    c.answers.get(3L).clear();
    assertThat(c.step(3, new Event.ReadBarrier(11))).as("the next barrier: a one-server ensemble's own round")
        .contains(new Complete(11, c.peer(3).committedZxid()));
  }

  @Test
  void oneServerEnsembleCompletesAtOnce() {
    CoreCluster c = new CoreCluster(1).startAllEstablished();
    c.submit(1, 1, "a");
    c.answers.get(1L).clear();
    assertThat(c.step(1, new Event.ReadBarrier(2))).containsExactly(new Complete(2, Zxid.of(1, 1)));
  }

  /** The leader (3) stalls, as in a long GC pause: 1 and 2 elect 2 and commit a write 3 never sees. */
  @Test
  void deposedLeaderNeverCompletesABarrierWithItsStaleCommitPoint() {
    CoreCluster c = new CoreCluster(3).startAllEstablished();
    c.submit(3, 1, "a");
    c.answers.get(3L).clear(); // the write's own answer
    c.partitionSilently(Set.of(3L));
    tickOnlyUntil(c, () -> c.leaders().contains(2L) && c.allEstablished(1, 2), 200, 1, 2);
    c.submit(2, 2, "b");
    assertThat(c.peer(3).established()).as("3 still believes it leads").isTrue();

    c.step(3, new Event.ReadBarrier(9));
    c.heal(); // its SyncRequest round reaches servers that no longer follow it
    assertThat(c.answers.get(3L)).as("no stale answer").isEmpty();
    c.tickUntil(() -> !c.answers.get(3L).isEmpty(), 100);
    assertThat(c.answers.get(3L)).containsExactly(new Reject(9, RejectCode.NO_QUORUM, 0));
  }

  /** A follower (4) still attached to a deposed leader (5) gets no barrier answer from it. */
  @Test
  void followerOfADeposedLeaderNeverCompletesABarrier() {
    CoreCluster c = new CoreCluster(5).startAllEstablished();
    c.submit(5, 1, "a");
    c.partitionSilently(Set.of(4L, 5L));
    tickOnlyUntil(c, () -> c.leaders().contains(3L) && c.allEstablished(1, 2, 3), 200, 1, 2, 3);
    c.submit(3, 2, "b");
    assertThat(c.peer(4).established()).isTrue();
    assertThat(c.peer(4).leader()).isEqualTo(5);

    c.step(4, new Event.ReadBarrier(9));
    c.run();
    assertThat(c.sent(4, 5)).as("4 echoes 5's round: it still follows 5").contains(new SyncReply(1, Zxid.of(1, 1)));
    assertThat(c.sent(5, 4)).as("but {4, 5} is no quorum of 5").noneMatch(m -> m instanceof SyncReply);
    assertThat(c.answers.get(4L)).isEmpty();
    c.tickUntil(() -> !c.answers.get(4L).isEmpty(), 100);
    assertThat(c.answers.get(4L)).containsExactly(new Reject(9, RejectCode.NO_QUORUM, 0));
  }

  @Test
  void followerOnlyEchoesTheLeaderItFollows() {
    CoreCluster c = new CoreCluster(3).startAllEstablished();
    assertThat(c.step(1, new Event.Received(2, new SyncRequest(5)))).as("2 is not 1's leader").isEmpty();
    assertThat(c.step(1, new Event.Received(3, new SyncRequest(5))))
        .containsExactly(new Send(3, new SyncReply(5, c.peer(1).committedZxid())));
  }

  /** Ticks only {@code sids} (the others are paused processes) until {@code done} holds. */
  private static void tickOnlyUntil(CoreCluster c, java.util.function.BooleanSupplier done, int max, long... sids) {
    for (int i = 0; i < max && !done.getAsBoolean(); i++) {
      LongStream.of(sids).forEach(sid -> c.step(sid, new Event.Tick()));
      c.run();
    }
    assertThat(done.getAsBoolean()).as("condition reached within %d ticks; %s", max, c.describe()).isTrue();
  }
}
