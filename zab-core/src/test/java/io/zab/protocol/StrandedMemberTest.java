package io.zab.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.ClusterConfiguration;
import io.zab.Member;
import io.zab.Role;
import io.zab.Zxid;
import io.zab.protocol.Action.Complete;
import io.zab.wire.Membership;
import io.zab.wire.MembershipCodec;
import io.zab.wire.Message.Notification;
import io.zab.wire.Txn;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, stranded members (docs/protocol.md, membership): a member that missed the change adding a server learns
 * that server's address from the notifications of the members it knows, reaches it, and follows it once it leads
 * (S3, late joiners); what it learns never counts in its own quorums (S5.3 tallies use its own membership).
 */
class StrandedMemberTest {
  private static final Timing TIMING = new Timing(2, 8, 60, 20, 3);
  private static final ClusterConfiguration THREE = ReconfigurationTest.voters(1, 2, 3);
  /** Server 3 replaced by server 5 (a new server at its own address). */
  private static final ClusterConfiguration REPLACED = THREE.without(3).withVoter(Member.local(5));

  /**
   * Voters {1,2,3}; while 2 is cut off, 3 is replaced by the new server 5, 5 takes over the leadership and 3 dies.
   * When 2 heals it knows neither 5's address nor that 5 is a voter; it must end FOLLOWING 5 with every txn, without a
   * restart.
   */
  @Test
  void aMemberThatMissedTheChangeAddingTheLeaderLearnsItsAddressAndFollowsIt() {
    CoreCluster c = new CoreCluster(5, THREE, TIMING).modelAddresses();
    c.start(1, 2, 3, 5);
    c.tickUntil(() -> c.allEstablished(1, 2, 3), 100);
    moveLeadership(c, 1, 10); // the change below does not remove its leader
    c.submit(1, 1, "before");
    c.partition(Set.of(2L));
    Action changed = c.ask(1, new Event.Reconfigure(2, REPLACED, 50), 2, 200);
    assertThat(changed).isInstanceOf(Complete.class);
    moveLeadership(c, 5, 11);
    c.tickUntil(() -> c.allEstablished(1, 5), 200);
    c.crash(3);
    c.submit(5, 4, "while 2 was away");
    assertThat(c.peer(2).membership()).as("2 missed the change").isEqualTo(Membership.stable(THREE));

    c.heal();
    c.tickUntil(() -> c.allEstablished(1, 2, 5) && c.peer(2).leader() == 5, 300);

    assertThat(c.peer(2).role()).isEqualTo(Role.FOLLOWING);
    assertThat(c.peer(2).leader()).isEqualTo(5);
    assertThat(c.peer(2).membership()).isEqualTo(c.peer(5).membership());
    assertThat(c.peer(2).configuration().voterIds()).containsExactly(1L, 2L, 5L);
    assertThat(c.deliveredZxids(2)).isEqualTo(c.deliveredZxids(5)).hasSizeGreaterThanOrEqualTo(2);
  }

  /**
   * What a LOOKING voter behind learns from a member it knows: the newer membership (its addresses go to the
   * transport), never a quorum. Votes of servers its own membership does not list still count for nothing.
   */
  @Test
  void aLearnedMembershipGivesAddressesButNeverVotes() {
    ClusterConfiguration newer = ReconfigurationTest.voters(2, 4, 5).withVersion(Zxid.of(2, 7).value());
    Peer p = lookingVoter(2, THREE);
    List<Action> out = p.handle(new Event.Received(1,
        new Notification(Role.FOLLOWING, 5, Zxid.of(2, 7), 1, 2, true, newer.version(), Membership.stable(newer))));
    assertThat(out).filteredOn(Action.UpdateMembers.class::isInstance).singleElement()
        .satisfies(a -> assertThat(((Action.UpdateMembers) a).members()).extracting(Member::id)
            .containsExactly(1L, 2L, 3L, 4L, 5L));
    assertThat(sentTo(p.handle(new Event.PeerConnected(4)), 4)).as("it asks the voters it learned of").isNotEmpty();
    // 4 and 5 vote for 5 in 2's round: a quorum of the learned membership, none of 2's own
    for (long from : List.of(4L, 5L)) {
      p.handle(new Event.Received(from, new Notification(Role.LOOKING, 5, Zxid.of(2, 7), 1, 2, true, newer.version(),
          null)));
    }
    p.handle(new Event.Tick());
    assertThat(p.role()).isEqualTo(Role.LOOKING);
    assertThat(p.membership()).isEqualTo(Membership.stable(THREE));
  }

  /** A leader ahead of me that a quorum of its own membership supports is followed, if that membership lists me. */
  @Test
  void aLeaderSupportedByAQuorumOfItsNewerMembershipIsFollowedByAMemberOfIt() {
    ClusterConfiguration newer = ReconfigurationTest.voters(2, 4, 5).withVersion(Zxid.of(2, 7).value());
    Peer p = lookingVoter(2, THREE);
    p.handle(new Event.Received(4, new Notification(Role.FOLLOWING, 5, Zxid.of(2, 7), 1, 2, true, newer.version(),
        Membership.stable(newer))));
    assertThat(p.role()).as("5 has not said it leads").isEqualTo(Role.LOOKING);
    p.handle(new Event.Received(5, new Notification(Role.LEADING, 5, Zxid.of(2, 7), 1, 2, true, newer.version(),
        Membership.stable(newer))));
    assertThat(p.role()).isEqualTo(Role.FOLLOWING);
    assertThat(p.leader()).isEqualTo(5);
  }

  /**
   * A voter behind adopts a better vote from a voter of the newer membership it learned of, without tallying it: a
   * quorum of its own voters agreeing on that vote decides. Without adopting, it kept deciding for an older choice
   * its own voters had left, and the election restarted without end (found by the randomized membership simulation).
   */
  @Test
  void aVoterBehindAdoptsABetterVoteOfALearnedVoterButTalliesOnlyItsOwnVoters() {
    ClusterConfiguration threeAnd4 = ReconfigurationTest.voters(1, 2, 4);
    Membership joint = Membership.joint(THREE, threeAnd4);
    long version = Zxid.of(2, 3).value();
    Peer p = lookingVoter(2, THREE);
    long round = 5;
    // server 1, of the newer joint membership, tells me about it while voting for itself
    p.handle(new Event.Received(1, new Notification(Role.LOOKING, 1, Zxid.of(2, 3), round, 2, true, version, joint)));
    // server 4 (not a voter of mine) votes for itself, with the best log (strictly: on a tie a voter of mine would win)
    List<Action> out = p.handle(new Event.Received(4, new Notification(Role.LOOKING, 4, Zxid.of(2, 4), round, 2, true,
        version, joint)));
    assertThat(sentTo(out, 1)).as("my vote now names 4").isNotEmpty().allSatisfy(n -> assertThat(n.leader()).isEqualTo(4));
    assertThat(p.role()).as("4's vote is not in my tally: 1 has not agreed yet").isEqualTo(Role.LOOKING);
    p.handle(new Event.Received(1, new Notification(Role.LOOKING, 4, Zxid.of(2, 4), round, 2, true, version, null)));
    for (int i = 0; i < TIMING.finalizeWaitTicks() + 1 && p.role() == Role.LOOKING; i++) {
      p.handle(new Event.Tick());
    }
    assertThat(p.role()).isEqualTo(Role.FOLLOWING);
    assertThat(p.leader()).isEqualTo(4);
  }

  /** A server the leader's newer membership no longer lists (it was removed) does not follow it. */
  @Test
  void aLeaderWhoseNewerMembershipDoesNotListMeIsNotFollowed() {
    ClusterConfiguration newer = ReconfigurationTest.voters(3, 4, 5).withVersion(Zxid.of(2, 7).value());
    Peer p = lookingVoter(2, THREE);
    for (long from : List.of(4L, 5L)) {
      p.handle(new Event.Received(from, new Notification(from == 5 ? Role.LEADING : Role.FOLLOWING, 5, Zxid.of(2, 7),
          1, 2, true, newer.version(), Membership.stable(newer))));
    }
    assertThat(p.role()).isEqualTo(Role.LOOKING);
  }

  /** Only a peer behind me gets my membership: one that is level gets the version alone (small notifications). */
  @Test
  void theMembershipIsSentOnlyToAPeerWhoseVersionIsOlder() {
    ClusterConfiguration newer = ReconfigurationTest.voters(1, 2, 3).withVersion(Zxid.of(1, 4).value());
    Peer p = lookingVoter(1, THREE);
    List<Action> level = p.handle(new Event.Received(2, new Notification(Role.LOOKING, 2, Zxid.ZERO, 9, 0)));
    assertThat(sentTo(level, 2)).allSatisfy(n -> assertThat(n.membership()).isNull());
    Peer ahead = lookingVoterWithLog(3, newer);
    List<Action> behind = ahead.handle(new Event.Received(2, new Notification(Role.LOOKING, 2, Zxid.ZERO, 9, 0)));
    assertThat(sentTo(behind, 2)).isNotEmpty().allSatisfy(n -> {
      assertThat(n.configVersion()).isEqualTo(newer.version());
      assertThat(n.membership()).isEqualTo(Membership.stable(newer));
    });
  }

  /**
   * A LOOKING server that takes no part in the election (an observer here) still answers a LOOKING peer behind it,
   * once per tick: it may be the only server that peer can reach (found by the randomized membership simulation).
   */
  @Test
  void aLookingServerAnswersAPeerBehindItEvenWithoutAVoteOncePerTick() {
    ClusterConfiguration withObserver = THREE.withObserver(Member.local(4)).withVersion(Zxid.of(1, 4).value());
    Peer removed = lookingServerWithLog(4, THREE.withObserver(Member.local(4)), withObserver);
    Notification behind = new Notification(Role.LOOKING, 2, Zxid.ZERO, 9, 0);
    List<Action> first = removed.handle(new Event.Received(2, behind));
    assertThat(sentTo(first, 2)).singleElement().satisfies(
        n -> assertThat(n.membership()).isEqualTo(Membership.stable(withObserver)));
    assertThat(sentTo(removed.handle(new Event.Received(2, behind)), 2)).as("not again in the same tick").isEmpty();
    removed.handle(new Event.Tick());
    assertThat(sentTo(removed.handle(new Event.Received(2, behind)), 2)).hasSize(1);
  }

  private static void moveLeadership(CoreCluster c, long to, long requestId) {
    long leader = c.leaders().get(0);
    if (leader != to) {
      Action moved = c.ask(leader, new Event.TransferLeadership(requestId, to, 50), requestId, 200);
      assertThat(moved).as("leadership moved from %d to %d", leader, to).isInstanceOf(Complete.class);
    }
    c.tickUntil(() -> c.leaders().equals(List.of(to)), 200);
  }

  private static Peer lookingVoter(long sid, ClusterConfiguration c) {
    Peer p = new Peer(config(sid, c), PersistentState.empty());
    p.handle(new Event.Start());
    return p;
  }

  /** A voter whose log holds one STABLE txn bringing {@code c} (at the zxid of its version). */
  private static Peer lookingVoterWithLog(long sid, ClusterConfiguration c) {
    return lookingServerWithLog(sid, THREE, c);
  }

  private static Peer lookingServerWithLog(long sid, ClusterConfiguration initial, ClusterConfiguration c) {
    io.zab.wire.Txn config = new io.zab.wire.Txn(new Zxid(c.version()), io.zab.wire.Txn.Kind.CONFIG,
        io.zab.wire.MembershipCodec.encode(Membership.stable(c)));
    Peer p = new Peer(config(sid, initial), new PersistentState(1, 1, Zxid.ZERO, List.of(
        new io.zab.wire.Txn(Zxid.of(1, 1), "x".getBytes()), new io.zab.wire.Txn(Zxid.of(1, 2), "y".getBytes()),
        new io.zab.wire.Txn(Zxid.of(1, 3), "z".getBytes()), config)));
    p.handle(new Event.Start());
    return p;
  }

  private static PeerConfig config(long sid, ClusterConfiguration c) {
    return new PeerConfig(sid, c, TIMING, 1024, 1000, 100, io.zab.wire.MessageCodec.DEFAULT_MAX_FRAME_BYTES,
        PeerConfig.DEFAULT_MAX_IN_FLIGHT_BYTES, PeerConfig.DEFAULT_LOG_RETENTION_BYTES);
  }

  private static List<Notification> sentTo(List<Action> out, long to) {
    return out.stream().filter(a -> a instanceof Action.Send s && s.to() == to && s.message() instanceof Notification)
        .map(a -> (Notification) ((Action.Send) a).message()).toList();
  }
  /**
   * Seed 8250 of the randomized membership run: server 2 holds a membership that removed it (voters {1, 3}, observer
   * 4; its snapshot holds it, so 2 knows it committed and does not vote), and missed the changes that replaced the
   * voters by {4, 5} and added it back as an observer. 1 and 3 are gone; the only server 2 can reach (each listing the
   * other) is 4, an observer in 2's membership. A LOOKING server that does not vote told its vote to voters only, so 4
   * never answered it and 2 stayed LOOKING for ever. Now it tells the observers of its memberships too, learns the
   * newer membership from 4's answer, and observes the leader.
   */
  @Test
  void aRemovedServerAddedBackAsAnObserverFindsTheLeaderThroughAnObserverItKnows() {
    ClusterConfiguration before = ReconfigurationTest.voters(1, 3).withObserver(Member.local(4))
        .withVersion(Zxid.of(1, 1).value());
    ClusterConfiguration after = ReconfigurationTest.voters(4, 5).withObserver(Member.local(2));
    List<Txn> log = List.of(config(2, Membership.joint(before, after)),
        config(3, Membership.stable(after.withVersion(Zxid.of(1, 3).value()))));
    // every server starts from a snapshot of the change that removed 2
    CoreCluster c = new CoreCluster(5, THREE, TIMING)
        .withState(2, new PersistentState(1, 1, Zxid.of(1, 1), List.of(), Membership.stable(before)))
        .withState(4, new PersistentState(1, 1, Zxid.of(1, 1), log, Membership.stable(before)))
        .withState(5, new PersistentState(1, 1, Zxid.of(1, 1), log, Membership.stable(before)))
        .modelAddresses();
    c.start(4, 5);
    c.tickUntil(() -> c.leaders().size() == 1 && c.allEstablished(4, 5), 200);
    long leader = c.leaders().get(0);
    c.start(2);
    c.tickUntil(() -> c.allEstablished(2) && c.peer(2).leader() == leader, 300);
    assertThat(c.peer(2).role()).isEqualTo(Role.OBSERVING);
    assertThat(c.peer(2).membership()).isEqualTo(c.peer(leader).membership());
  }

  private static Txn config(long counter, Membership m) {
    return new Txn(Zxid.of(1, counter), Txn.Kind.CONFIG, MembershipCodec.encode(m));
  }
}
