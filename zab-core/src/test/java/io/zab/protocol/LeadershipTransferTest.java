package io.zab.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.ClusterConfiguration;
import io.zab.Member;
import io.zab.Role;
import io.zab.Zxid;
import io.zab.protocol.Action.Complete;
import io.zab.protocol.Action.Reject;
import io.zab.wire.Message.Handover;
import io.zab.wire.Message.RejectCode;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, leadership transfer (docs/protocol.md): the leader stops proposing, brings the target up to date, hands
 * over, and the target wins the election at once although ties on (epoch, zxid) would go to a larger sid; a target
 * that is not a voter, not reachable or not up to date in time fails the transfer and the old leader resumes.
 */
class LeadershipTransferTest {
  private static final Timing TIMING = new Timing(2, 8, 60, 20, 3);

  private static CoreCluster cluster() {
    CoreCluster c = new CoreCluster(3, TIMING);
    c.startAll();
    c.tickUntil(() -> c.allEstablished(1, 2, 3), 100);
    assertThat(c.leaders()).containsExactly(3L);
    return c;
  }

  private static Action transfer(CoreCluster c, long on, long requestId, long target, int timeout, int maxTicks) {
    return c.ask(on, new Event.TransferLeadership(requestId, target, timeout), requestId, maxTicks);
  }

  private static Action answer(CoreCluster c, long on, long requestId) {
    return c.answer(on, requestId);
  }

  @Test
  void theSmallestSidBecomesLeaderAtOnceThoughEveryTieWouldGoToALargerOne() {
    CoreCluster c = cluster();
    c.submit(3, 1, "before");
    Action a = transfer(c, 3, 2, 1, 30, 30);
    assertThat(a).isEqualTo(new Complete(2, Zxid.ZERO));
    c.tickUntil(() -> c.allEstablished(1, 2, 3), 30);
    assertThat(c.leaders()).containsExactly(1L);
    assertThat(c.peer(1).currentEpoch()).isEqualTo(2);
    assertThat(c.sent(3, 2)).contains(new Handover(1, 1, Zxid.of(1, 1)));
    c.submit(1, 3, "after");
    for (long sid = 1; sid <= 3; sid++) {
      assertThat(c.deliveredZxids(sid)).containsExactly(Zxid.of(1, 1), Zxid.of(2, 1));
    }
  }

  @Test
  void aLaggingTargetIsBroughtUpToDateFirstAndWritesSubmittedMeanwhileCommitUnderTheNewLeader() {
    CoreCluster c = cluster();
    c.pause(3, 1); // 1 lags: it gets nothing
    c.submit(3, 1, "1 lacks this");
    c.step(3, new Event.TransferLeadership(2, 1, 50));
    c.run();
    c.submit(3, 3, "held during the transfer");
    assertThat(c.disk(3).log()).as("nothing proposed while transferring").hasSize(1);
    c.ticks(5);
    assertThat(c.leaders()).containsExactly(3L);
    c.resume(3, 1);
    c.tickUntil(() -> answer(c, 3, 2) != null && c.allEstablished(1, 2, 3), 50);
    assertThat(answer(c, 3, 2)).isEqualTo(new Complete(2, Zxid.ZERO));
    assertThat(c.leaders()).containsExactly(1L);
    c.tickUntil(() -> c.answers.get(3L).stream().anyMatch(a -> a instanceof Complete cp && cp.requestId() == 3), 50);
    assertThat(c.deliveredZxids(2)).containsExactly(Zxid.of(1, 1), Zxid.of(2, 1));
  }

  @Test
  void anUnreachableTargetFailsWithinTheBoundAndTheOldLeaderResumesWithTheHeldWrites() {
    CoreCluster c = cluster();
    c.partition(Set.of(1L));
    c.step(3, new Event.TransferLeadership(1, 1, 30));
    c.run();
    c.submit(3, 2, "held");
    c.ticks(29);
    assertThat(answer(c, 3, 1)).isNull();
    c.ticks(3);
    assertThat(answer(c, 3, 1)).isEqualTo(new Reject(1, RejectCode.TRANSFER_FAILED, 3));
    assertThat(c.leaders()).containsExactly(3L);
    assertThat(c.answers.get(3L)).contains(new Complete(2, Zxid.of(1, 1)));
  }

  @Test
  void aTargetThatIsNotAVoterIsRefusedAtOnce() {
    CoreCluster c = new CoreCluster(4, new ClusterConfiguration(0, List.of(Member.local(1), Member.local(2),
        Member.local(3)), List.of(Member.local(4))), TIMING);
    c.startAll();
    c.tickUntil(() -> c.allEstablished(1, 2, 3, 4), 100);
    assertThat(transfer(c, 3, 1, 4, 30, 0)).isEqualTo(new Reject(1, RejectCode.TRANSFER_FAILED, 3));
    assertThat(transfer(c, 3, 2, 9, 30, 0)).isEqualTo(new Reject(2, RejectCode.TRANSFER_FAILED, 3));
    assertThat(transfer(c, 3, 3, 3, 30, 0)).as("to itself: done").isEqualTo(new Complete(3, Zxid.ZERO));
    assertThat(c.leaders()).containsExactly(3L);
  }

  @Test
  void S9_aTransferAskedOnAFollowerCompletesThereWhenItFollowsTheTarget() {
    CoreCluster c = cluster();
    assertThat(transfer(c, 2, 1, 1, 40, 60)).isEqualTo(new Complete(1, Zxid.ZERO));
    assertThat(c.leaders()).containsExactly(1L);
    assertThat(transfer(c, 3, 2, 2, 40, 60)).as("asked on a follower, to itself").isEqualTo(new Complete(2, Zxid.ZERO));
    assertThat(c.leaders()).containsExactly(2L);
    c.tickUntil(() -> c.allEstablished(1, 2, 3), 30);
    assertThat(transfer(c, 1, 3, 2, 40, 0)).as("to the leader it follows").isEqualTo(new Complete(3, Zxid.ZERO));
  }

  @Test
  void oneMembershipChangeAtATime() {
    CoreCluster c = cluster();
    c.partition(Set.of(1L));
    c.step(3, new Event.TransferLeadership(1, 1, 30)); // waits for the unreachable target
    c.run();
    c.step(3, new Event.Reconfigure(2, ReconfigurationTest.voters(1, 2, 3).withObserver(Member.local(4)), 10));
    c.step(3, new Event.TransferLeadership(3, 2, 30));
    c.run();
    assertThat(c.answers.get(3L)).contains(new Reject(2, RejectCode.CHANGE_IN_PROGRESS, 3),
        new Reject(3, RejectCode.CHANGE_IN_PROGRESS, 3));
  }

  /** R4: a removed leader hands over to the most up-to-date voter instead of leaving the ensemble without a leader. */
  @Test
  void aRemovedLeaderHandsOverOnceItsRemovalCommitted() {
    CoreCluster c = cluster();
    c.step(3, new Event.Reconfigure(1, ReconfigurationTest.voters(1, 2, 3).without(3), 10));
    c.run();
    c.tickUntil(() -> c.leaders().size() == 1 && c.leaders().get(0) != 3 && c.allEstablished(1, 2), 60);
    assertThat(c.answers.get(3L)).anyMatch(a -> a instanceof Complete cp && cp.requestId() == 1);
    assertThat(c.actionsOf(3)).anyMatch(a -> a instanceof Action.Send s && s.message() instanceof Handover);
    assertThat(c.peer(3).role()).isNotIn(Role.LEADING, Role.FOLLOWING);
  }

  /** The preference only breaks ties on (epoch, zxid): a server ahead of the target still wins (S4 keeps safety). */
  @Test
  void S4_thePreferenceNeverBeatsABetterLog() {
    Zxid last = Zxid.of(1, 2);
    Peer p = new Peer(new PeerConfig(2, Set.of(1L, 2L, 3L), TIMING, 1024, 100, 10), new PersistentState(1, 1,
        Zxid.ZERO, List.of(new io.zab.wire.Txn(Zxid.of(1, 1), new byte[0]), new io.zab.wire.Txn(last, new byte[0]))));
    p.handle(new Event.Start());
    p.handle(S5RoundRulesTest.vote(1, 3, last, 1, 1));
    p.handle(S5RoundRulesTest.vote(3, 3, last, 1, 1));
    assertThat(p.role()).isEqualTo(Role.FOLLOWING);
    p.handle(new Event.Received(3, new io.zab.wire.Message.LeaderInfo(2)));
    p.handle(new Event.Received(3, new io.zab.wire.Message.Diff(last)));
    p.handle(new Event.Received(3, new io.zab.wire.Message.NewLeader(2, last)));
    p.handle(new Event.Received(3, new io.zab.wire.Message.UpToDate(last)));
    assertThat(p.established()).isTrue();

    p.handle(new Event.Received(3, new Handover(1, 2, last)));
    assertThat(p.role()).isEqualTo(Role.LOOKING);
    assertThat(p.currentVote().leader()).as("the target, with the same log").isEqualTo(1);
    p.handle(S5RoundRulesTest.vote(3, 3, Zxid.of(2, 1), 2, 2)); // 3 is ahead: a better log wins
    assertThat(p.currentVote().leader()).isEqualTo(3);
  }
}
