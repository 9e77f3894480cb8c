package io.zab.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.ClusterConfiguration;
import io.zab.Member;
import io.zab.Role;
import io.zab.Zxid;
import io.zab.protocol.Action.Complete;
import io.zab.protocol.Action.Reject;
import io.zab.wire.Membership;
import io.zab.wire.MembershipCodec;
import io.zab.wire.Message.RejectCode;
import io.zab.wire.Txn;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, dynamic reconfiguration in the pure core (docs/protocol.md, membership): changes travel through the log,
 * a voter change is JOINT then STABLE, new voters catch up first, one change at a time by compare-and-set, and the
 * membership in force is a function of the log across crashes, truncations and snapshots.
 */
class ReconfigurationTest {
  private static final Timing TIMING = new Timing(2, 8, 60, 20, 3);
  private static final ClusterConfiguration THREE = voters(1, 2, 3);

  static ClusterConfiguration voters(long... ids) {
    return ClusterConfiguration.of(LongStream.of(ids).mapToObj(Member::local).toList());
  }

  /** Servers 1..n, voters 1..3 to begin with; the others start as newcomers (observers of their own view). */
  private static CoreCluster cluster(int n, long... running) {
    CoreCluster c = new CoreCluster(n, THREE, TIMING);
    c.start(running);
    c.tickUntil(() -> c.allEstablished(1, 2, 3), 100);
    return c;
  }

  /** Asks {@code on} to change to {@code target}; returns what it answered (after running everything). */
  private static Action reconfigure(CoreCluster c, long on, long requestId, ClusterConfiguration target, int ticks) {
    return c.ask(on, new Event.Reconfigure(requestId, target, 50), requestId, ticks);
  }

  private static Action answer(CoreCluster c, long on, long requestId) {
    return c.answer(on, requestId);
  }

  /** The memberships the CONFIG txns of {@code sid}'s log carry, in order. */
  private static List<Membership> configTxns(CoreCluster c, long sid) {
    return c.disk(sid).log().stream().filter(Txn::isConfig).map(t -> MembershipCodec.decode(t.data())).toList();
  }

  private static long leader(CoreCluster c) {
    assertThat(c.leaders()).hasSize(1);
    return c.leaders().get(0);
  }

  @Test
  void anObserverIsAddedWithOneStableTxnAndReceivesEverything() {
    CoreCluster c = cluster(4, 1, 2, 3, 4);
    c.submit(3, 1, "before");
    ClusterConfiguration target = THREE.withObserver(Member.local(4));
    Action a = reconfigure(c, 3, 2, target, 50);
    assertThat(a).isInstanceOf(Complete.class);
    Zxid z = ((Complete) a).zxid();
    assertThat(configTxns(c, 3)).containsExactly(Membership.stable(target.withVersion(z.value())));
    c.tickUntil(() -> c.allEstablished(1, 2, 3, 4), 100);
    assertThat(c.peer(4).role()).isEqualTo(Role.OBSERVING);
    c.submit(3, 3, "after");
    for (long sid = 1; sid <= 4; sid++) {
      assertThat(c.peer(sid).configuration()).as("server %d", sid).isEqualTo(target.withVersion(z.value()));
      assertThat(c.deliveredZxids(sid)).as("server %d", sid).containsExactly(Zxid.of(1, 1), z, Zxid.of(1, 3));
    }
  }

  @Test
  void growingThreeToFiveCatchesTheNewVotersUpThenGoesThroughTheJointConfiguration() {
    CoreCluster c = cluster(5, 1, 2, 3, 4, 5);
    for (int i = 1; i <= 20; i++) {
      c.submit(3, i, "w" + i);
    }
    ClusterConfiguration five = voters(1, 2, 3, 4, 5);
    Action a = reconfigure(c, 3, 100, five, 100);
    assertThat(a).isInstanceOf(Complete.class);
    Zxid stable = ((Complete) a).zxid();
    assertThat(configTxns(c, 3)).containsExactly(Membership.joint(THREE, five),
        Membership.stable(five.withVersion(stable.value())));
    c.tickUntil(() -> c.allEstablished(1, 2, 3, 4, 5), 100);
    assertThat(c.peer(4).role()).isEqualTo(Role.FOLLOWING);
    assertThat(c.peer(5).role()).isEqualTo(Role.FOLLOWING);
    assertThat(c.peer(4).committedZxid()).isEqualTo(stable);


    // three of five now: the old voters 1 and 2 alone (with the leader) are still a quorum; 1 and 2 down are not
    c.partitionSilently(Set.of(1L, 2L));
    c.submit(3, 101, "with 3, 4, 5");
    assertThat(c.answers.get(3L)).contains(new Complete(101, stable.next()));
  }

  /**
   * A learner syncs to a log whose configuration does not list it (a change was made before): it must not take
   * that for its removal and leave, or it could never catch up.
   */
  @Test
  void aLearnerCatchingUpUnderAConfigurationWithoutItStaysAttached() {
    CoreCluster c = cluster(5, 1, 2, 3, 4, 5);
    Action observer = reconfigure(c, 3, 1, THREE.withObserver(Member.local(4)), 50);
    ClusterConfiguration withObserver = THREE.withObserver(Member.local(4))
        .withVersion(((Complete) observer).zxid().value());
    Action grow = reconfigure(c, 3, 2, withObserver.withVoter(Member.local(5)), 100);
    assertThat(grow).isInstanceOf(Complete.class);
    c.tickUntil(() -> c.allEstablished(1, 2, 3, 4, 5), 100);
    assertThat(c.actionsOf(5).stream().filter(x -> x instanceof Action.RoleChanged).map(x -> ((Action.RoleChanged) x)
        .role())).as("observing as a learner, then following").containsExactly(Role.OBSERVING, Role.FOLLOWING);
  }

  @Test
  void shrinkingFiveToThreeRemovesTheTwoAndTheirVotesStopCounting() {
    CoreCluster c = cluster(5, 1, 2, 3, 4, 5);
    Action grow = reconfigure(c, 3, 1, voters(1, 2, 3, 4, 5), 100);
    ClusterConfiguration five = voters(1, 2, 3, 4, 5).withVersion(((Complete) grow).zxid().value());
    c.tickUntil(() -> c.allEstablished(1, 2, 3, 4, 5), 100);
    long leader = leader(c);
    ClusterConfiguration three = five.without(4).without(5);
    Action a = reconfigure(c, leader, 2, three, 100);
    assertThat(a).isInstanceOf(Complete.class);
    Zxid stable = ((Complete) a).zxid();
    assertThat(configTxns(c, leader)).endsWith(Membership.joint(five, three.withVersion(0)),
        Membership.stable(three.withVersion(stable.value())));
    for (int i = 0; i < 100; i++) {
      assertThat(c.peer(4).established() || c.peer(5).established()).as("removed: they serve no more").isFalse();
      c.tick();
      if (i > TIMING.pingIntervalTicks()) {
        assertThat(c.peer(leader).followers()).extracting(FollowerProgress::sid)
            .as("dropped a ping after they had the committed change").doesNotContain(4L, 5L);
      }
    }
    assertThat(c.peer(4).membership().isMember(4)).as("it learned it was removed").isFalse();
    // 1, 2 and 3 alone make the quorum now
    c.crash(4);
    c.crash(5);
    c.submit(leader, 3, "three are enough");
    assertThat(c.answers.get(leader)).contains(new Complete(3, stable.next()));
  }

  @Test
  void aDeadVoterIsReplacedByANewServer() {
    CoreCluster c = cluster(4, 1, 2, 3, 4);
    c.crash(1);
    c.submit(3, 1, "while 1 is down");
    ClusterConfiguration replaced = THREE.without(1).withVoter(Member.local(4));
    Action a = reconfigure(c, 3, 2, replaced, 100);
    assertThat(a).isInstanceOf(Complete.class);
    c.tickUntil(() -> c.allEstablished(2, 3, 4), 100);
    assertThat(c.peer(4).role()).isEqualTo(Role.FOLLOWING);
    c.crash(2); // the old majority {1, 2} is gone for good; {3, 4} is a majority of the new configuration
    c.submit(3, 3, "after");
    assertThat(c.answers.get(3L)).contains(new Complete(3, ((Complete) a).zxid().next()));
  }

  @Test
  void aStaleVersionIsRefusedWithTheCurrentOneAndNothingChanges() {
    CoreCluster c = cluster(4, 1, 2, 3, 4);
    Action first = reconfigure(c, 3, 1, THREE.withObserver(Member.local(4)), 50);
    Zxid v1 = ((Complete) first).zxid();
    Action stale = reconfigure(c, 3, 2, THREE.without(3), 10); // derived from version 0
    assertThat(stale).isEqualTo(new Reject(2, RejectCode.STALE_CONFIGURATION, 3, v1));
    assertThat(configTxns(c, 3)).hasSize(1);
  }

  @Test
  void oneChangeAtATime() {
    CoreCluster c = cluster(5, 1, 2, 3);
    c.step(3, new Event.Reconfigure(1, THREE.withVoter(Member.local(4)), 1_000)); // 4 is not running: waits
    c.run();
    Action second = reconfigure(c, 3, 2, THREE.withObserver(Member.local(5)), 5);
    assertThat(second).isEqualTo(new Reject(2, RejectCode.CHANGE_IN_PROGRESS, 3));
  }

  @Test
  void aNewVoterThatDoesNotCatchUpInTimeFailsTheChangeAndNothingIsWritten() {
    CoreCluster c = cluster(4, 1, 2, 3);
    c.step(3, new Event.Reconfigure(1, THREE.withVoter(Member.local(4)), 30)); // server 4 never starts
    c.run();
    c.ticks(29);
    assertThat(answer(c, 3, 1)).isNull();
    c.ticks(3);
    assertThat(answer(c, 3, 1)).isEqualTo(new Reject(1, RejectCode.CATCH_UP_TIMEOUT, 3));
    assertThat(configTxns(c, 3)).isEmpty();
    assertThat(c.peer(3).followers()).extracting(FollowerProgress::sid).containsExactly(1L, 2L);
    // and the next change may go ahead
    assertThat(reconfigure(c, 3, 2, THREE.withObserver(Member.local(4)), 20)).isInstanceOf(Complete.class);
  }

  @Test
  void S9_aReconfigurationOnAFollowerIsForwardedAndCompletesThereOnceCommitted() {
    CoreCluster c = cluster(4, 1, 2, 3, 4);
    Action a = reconfigure(c, 1, 7, THREE.withObserver(Member.local(4)), 50);
    assertThat(a).isInstanceOf(Complete.class);
    assertThat(c.peer(1).configuration().isObserver(4)).isTrue();
    Action stale = reconfigure(c, 2, 8, THREE, 10);
    assertThat(stale).isEqualTo(new Reject(8, RejectCode.STALE_CONFIGURATION, 3, ((Complete) a).zxid()));
  }

  @Test
  void aRemovedLeaderLeavesOnceTheChangeIsCommittedAndTheOthersLead() {
    CoreCluster c = cluster(3, 1, 2, 3);
    ClusterConfiguration without3 = THREE.without(3);
    Action a = reconfigure(c, 3, 1, without3, 50);
    assertThat(a).isInstanceOf(Complete.class);
    c.tickUntil(() -> c.leaders().size() == 1 && c.leaders().get(0) != 3 && c.allEstablished(1, 2), 200);
    assertThat(c.peer(3).role()).isNotEqualTo(Role.LEADING);
    c.submit(c.leaders().get(0), 2, "without 3");
    assertThat(c.deliveredZxids(1)).isEqualTo(c.deliveredZxids(2));
  }

  /**
   * A leader that removes itself hands over once the change is committed (docs/protocol.md, membership), so its
   * followers must still reach it until then: a follower that logs the change may not drop its leader from the
   * members its transport connects to while it follows it (it did, found from outside: every such removal ended in
   * an election and forwarded requests in "outcome unknown").
   */
  @Test
  void followersKeepTheirLeaderReachableWhileTheyFollowIt() {
    CoreCluster c = cluster(3, 1, 2, 3);
    assertThat(leader(c)).isEqualTo(3);
    int from = c.trace.size();
    assertThat(reconfigure(c, 3, 1, THREE.without(3), 50)).isInstanceOf(Complete.class);
    c.tickUntil(() -> c.leaders().size() == 1 && c.leaders().get(0) != 3 && c.allEstablished(1, 2), 200);
    for (long follower : List.of(1L, 2L)) {
      boolean followsThree = true;
      for (CoreCluster.Step step : c.trace.subList(from, c.trace.size())) {
        if (step.sid() != follower) {
          continue;
        }
        for (Action a : step.actions()) {
          if (a instanceof Action.RoleChanged rc) {
            followsThree = rc.leader() == 3 && rc.role() != Role.LEADING && rc.role() != Role.LOOKING;
          } else if (a instanceof Action.UpdateMembers u && followsThree) {
            assertThat(u.members()).as("server %d's members while it follows 3", follower)
                .extracting(Member::id).contains(3L);
          }
        }
      }
    }
  }

  /**
   * R3: a leader whose log ends with a committed-at-establishment JOINT txn proposes the STABLE one itself (the leader
   * that proposed the JOINT txn crashed before it could).
   */
  @Test
  void aNewLeaderFinishesAChangeWhoseJointTxnItFindsInItsLog() {
    ClusterConfiguration four = voters(1, 2, 3, 4);
    Txn joint = new Txn(Zxid.of(1, 2), Txn.Kind.CONFIG, MembershipCodec.encode(Membership.joint(THREE, four)));
    List<Txn> log = List.of(new Txn(Zxid.of(1, 1), "x".getBytes()), joint);
    CoreCluster c = new CoreCluster(4, THREE, TIMING);
    for (long sid = 1; sid <= 3; sid++) {
      c.withState(sid, new PersistentState(1, 1, Zxid.ZERO, log));
    }
    c.startAll();
    c.tickUntil(() -> c.allEstablished(1, 2, 3, 4), 200);
    long leader = leader(c);
    assertThat(configTxns(c, leader)).hasSize(2).last().isEqualTo(Membership.stable(four.withVersion(
        c.peer(leader).configuration().version())));
    assertThat(c.peer(4).role()).isEqualTo(Role.FOLLOWING);
  }

  /** A JOINT txn that never committed is truncated away and the servers that held it fall back to the old voters. */
  @Test
  void anUncommittedJointTxnIsTruncatedAndTheOldConfigurationIsInForceAgain() {
    ClusterConfiguration four = voters(1, 2, 3, 4);
    Txn x = new Txn(Zxid.of(1, 1), "x".getBytes());
    Txn joint = new Txn(Zxid.of(1, 2), Txn.Kind.CONFIG, MembershipCodec.encode(Membership.joint(THREE, four)));
    CoreCluster c = new CoreCluster(4, THREE, TIMING);
    c.withState(1, new PersistentState(1, 1, Zxid.ZERO, List.of(x)));
    c.withState(2, new PersistentState(2, 2, Zxid.ZERO, List.of(x)));
    c.withState(3, new PersistentState(1, 1, Zxid.ZERO, List.of(x, joint)));
    assertThat(new Peer(c.configs[3], c.disk(3).recover()).membership()).isEqualTo(Membership.joint(THREE, four));
    c.start(1, 2);
    c.tickUntil(() -> c.allEstablished(1, 2), 200);
    c.start(3);
    c.tickUntil(() -> c.allEstablished(1, 2, 3), 200);
    assertThat(c.disk(3).log()).doesNotContain(joint);
    assertThat(c.peer(3).membership()).isEqualTo(Membership.stable(THREE));
  }

  /** The membership in force is the log's: a restart (and a snapshot that replaced the log) brings it back. */
  @Test
  void theMembershipSurvivesRestartsAndTravelsWithSnapshots() {
    CoreCluster c = new CoreCluster(5, THREE, TIMING).withLogRetention(0); // a snapshot drops every txn it covers
    c.start(1, 2, 3, 4, 5);
    c.tickUntil(() -> c.allEstablished(1, 2, 3), 100);
    Action a = reconfigure(c, 3, 1, voters(1, 2, 3, 4, 5), 100);
    Membership five = Membership.stable(voters(1, 2, 3, 4, 5).withVersion(((Complete) a).zxid().value()));
    c.tickUntil(() -> c.allEstablished(1, 2, 3, 4, 5), 100);
    c.crash(2);
    c.restart(2);
    assertThat(c.peer(2).membership()).isEqualTo(five);

    // server 1 is cut off while the leader snapshots and compacts past it: it comes back by SNAP, whose header
    // brings the membership (the CONFIG txns are gone from the leader's log)
    long leader = leader(c);
    long other = leader == 1 ? 2 : 1;
    c.partition(Set.of(other));
    for (int i = 2; i <= 30; i++) {
      c.submit(leader, i, "w" + i);
    }
    Zxid last = c.peer(leader).lastZxid();
    c.step(leader, new Event.SnapshotTaken(last));
    c.crash(other);
    c.disk(other).loseLog(); // and it lost its log: only the snapshot has the membership
    assertThat(new Peer(c.configs[(int) other], c.disk(other).recover()).membership())
        .as("its own configured one, before the snapshot").isEqualTo(Membership.stable(THREE));
    c.heal();
    c.restart(other);
    c.tickUntil(() -> c.allEstablished(1, 2, 3, 4, 5), 200);
    assertThat(c.actionsOf(leader)).anyMatch(x -> x instanceof Action.SendSnapshot s && s.to() == other);
    assertThat(c.peer(other).membership()).isEqualTo(five);
    assertThat(c.peer(other).role()).isEqualTo(Role.FOLLOWING);
    c.crash(other);
    c.restart(other);
    assertThat(c.peer(other).membership()).as("recorded by the installed snapshot").isEqualTo(five);
  }
}
