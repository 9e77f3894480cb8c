package io.zab.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.ClusterConfiguration;
import io.zab.Member;
import io.zab.Role;
import io.zab.Zxid;
import io.zab.protocol.Action.Complete;
import io.zab.protocol.Action.Reject;
import io.zab.protocol.Action.RoleChanged;
import io.zab.wire.Message.AckEpoch;
import io.zab.wire.Message.FollowerInfo;
import io.zab.wire.Message.RejectCode;
import io.zab.wire.Message.Trunc;
import io.zab.wire.MessageCodec;
import io.zab.wire.Txn;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, observers: members that receive the committed stream, serve local reads and barriers and forward writes,
 * but never vote and never count in a quorum (docs/protocol.md, membership). Observers 4 and 5 have the largest
 * ids, so a vote of theirs would win every tie.
 */
class ObserverTest {
  private static final ClusterConfiguration THREE_PLUS_TWO = new ClusterConfiguration(0,
      List.of(Member.local(1), Member.local(2), Member.local(3)), List.of(Member.local(4), Member.local(5)));

  private static CoreCluster cluster() {
    CoreCluster c = new CoreCluster(5, THREE_PLUS_TWO, new Timing(2, 8, 60, 20, 3));
    c.startAll();
    c.tickUntil(() -> c.allEstablished(1, 2, 3, 4, 5), 100);
    return c;
  }

  @Test
  void observersFollowTheLeaderAsObservingAndAreNeverElected() {
    CoreCluster c = cluster();
    assertThat(c.leaders()).containsExactly(3L);
    for (long o : List.of(4L, 5L)) {
      assertThat(c.peer(o).role()).isEqualTo(Role.OBSERVING);
      assertThat(c.peer(o).leader()).isEqualTo(3);
      assertThat(c.actionsOf(o)).filteredOn(a -> a instanceof RoleChanged rc && rc.role() != Role.LOOKING)
          .allMatch(a -> ((RoleChanged) a).role() == Role.OBSERVING);
    }
    for (int round = 0; round < 3; round++) { // every new leader is a voter, although the observers' ids win ties
      long leader = c.leaders().get(0);
      c.crash(leader);
      c.tickUntil(() -> c.leaders().size() == 1 && c.allEstablished(4, 5), 200);
      assertThat(c.leaders()).allMatch(l -> l <= 3);
      c.restart(leader);
      c.tickUntil(() -> c.allEstablished(1, 2, 3, 4, 5), 200);
    }
  }

  @Test
  void S8_S9_observersApplyEveryCommittedTxnForwardWritesAndServeBarriers() {
    CoreCluster c = cluster();
    c.submit(3, 1, "from-leader");
    c.submit(4, 2, "from-observer");
    assertThat(c.answers.get(4L)).containsExactly(new Complete(2, Zxid.of(1, 2)));
    c.step(5, new Event.ReadBarrier(3));
    c.run();
    assertThat(c.answers.get(5L)).containsExactly(new Complete(3, Zxid.of(1, 2)));
    c.ticks(5);
    for (long sid = 1; sid <= 5; sid++) {
      assertThat(c.deliveredZxids(sid)).as("server %d", sid).containsExactly(Zxid.of(1, 1), Zxid.of(1, 2));
    }
  }

  /** S10 with observers: a leader with every observer but a minority of voters commits nothing and steps down. */
  @Test
  void S10_observersNeverCountForACommitOrForTheLeadersQuorum() {
    CoreCluster c = cluster();
    c.submit(3, 1, "before");
    c.partitionSilently(Set.of(1L, 2L));
    c.submit(3, 2, "with observers only");
    int syncLimit = c.configs[1].timing().syncLimitTicks();
    for (int i = 0; i <= syncLimit + 1; i++) {
      assertThat(c.peer(3).committedZxid()).as("acks of both observers do not make a quorum")
          .isEqualTo(Zxid.of(1, 1));
      c.tick();
    }
    assertThat(c.peer(3).role()).isNotEqualTo(Role.LEADING);
    assertThat(c.answers.get(3L)).contains(new Reject(2, RejectCode.OUTCOME_UNKNOWN, 0));
  }

  /** Observers' votes and acks do not make an election either: two voters of three cannot be replaced by them. */
  @Test
  void S10_twoVotersDownLeaveNoQuorumWhateverTheObserversDo() {
    CoreCluster c = cluster();
    c.crash(1);
    c.crash(2);
    c.ticks(200);
    assertThat(c.leaders()).isEmpty();
    c.restart(1);
    c.tickUntil(() -> c.allEstablished(1, 3, 4, 5), 200);
  }

  /**
   * S6: only a voter ahead of a prospective leader makes it abandon (it may lack a committed txn); an observer ahead
   * holds only uncommitted txns and is truncated, so an observer cannot force elections.
   */
  @Test
  void S6_anObserverAheadOfAProspectiveLeaderIsTruncatedNotAReasonToAbandon() {
    Peer p = prospectiveLeader3();
    p.handle(new Event.Received(4, new FollowerInfo(1, Zxid.of(1, 3))));
    p.handle(new Event.Received(1, new FollowerInfo(1, LAST)));
    p.handle(new Event.Received(4, new AckEpoch(1, Zxid.of(1, 3))));
    assertThat(p.role()).as("an observer ahead is no reason to abandon").isEqualTo(Role.LEADING);
    List<Action> out = p.handle(new Event.Received(1, new AckEpoch(1, LAST)));
    assertThat(out).contains(new Action.Send(4, new Trunc(LAST)));

    Peer q = prospectiveLeader3();
    q.handle(new Event.Received(1, new FollowerInfo(1, Zxid.of(1, 3))));
    q.handle(new Event.Received(1, new AckEpoch(1, Zxid.of(1, 3))));
    assertThat(q.role()).as("a voter ahead still makes it abandon").isEqualTo(Role.LOOKING);
  }

  private static final Zxid LAST = Zxid.of(1, 2);

  /** Server 3 of {@link #THREE_PLUS_TWO}, elected by 1 and 2, in discovery; its log ends at {@link #LAST}. */
  private static Peer prospectiveLeader3() {
    Peer p = new Peer(new PeerConfig(3, THREE_PLUS_TWO, new Timing(2, 8, 60, 20, 3), 1024, 100, 10,
        MessageCodec.DEFAULT_MAX_FRAME_BYTES, PeerConfig.DEFAULT_MAX_IN_FLIGHT_BYTES,
        PeerConfig.DEFAULT_LOG_RETENTION_BYTES), new PersistentState(1, 1, Zxid.ZERO,
        List.of(new Txn(Zxid.of(1, 1), new byte[0]), new Txn(LAST, new byte[0]))));
    p.handle(new Event.Start());
    p.handle(S5RoundRulesTest.vote(1, 3, LAST, 1, 1));
    p.handle(S5RoundRulesTest.vote(2, 3, LAST, 1, 1));
    assertThat(p.role()).isEqualTo(Role.LEADING);
    return p;
  }

  /**
   * A txn that reached only an observer is not committed (no voter has it): the next leader lacks it and truncates
   * the observer, instead of abandoning its leadership because an observer is "ahead" of it.
   */
  @Test
  void S7_anObserverHoldingAnUncommittedTxnIsTruncatedByTheNextLeader() {
    CoreCluster c = cluster();
    c.submit(3, 1, "committed");
    c.pause(3, 1);
    c.pause(3, 2);
    c.pause(3, 5);
    c.submit(3, 2, "only the observer has it");
    assertThat(c.disk(4).log()).extracting(Txn::zxid).contains(Zxid.of(1, 2));
    c.crash(3);
    c.tickUntil(() -> c.leaders().size() == 1 && c.allEstablished(1, 2, 4, 5), 200);
    assertThat(c.leaders()).containsExactly(2L);
    assertThat(c.disk(4).log()).extracting(Txn::zxid).doesNotContain(Zxid.of(1, 2));
    assertThat(c.peer(4).role()).isEqualTo(Role.OBSERVING);
    assertThat(c.deliveredZxids(4)).containsExactly(Zxid.of(1, 1));
  }
}
