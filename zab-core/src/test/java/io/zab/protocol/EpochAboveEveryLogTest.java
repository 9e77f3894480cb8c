package io.zab.protocol;

import static io.zab.protocol.S4VoteOrderTest.txns;
import static org.assertj.core.api.Assertions.assertThat;

import io.zab.Zxid;
import io.zab.protocol.Action.Complete;
import io.zab.protocol.Action.SaveAcceptedEpoch;
import io.zab.protocol.Action.Send;
import io.zab.wire.Message.FollowerInfo;
import io.zab.wire.Message.LeaderInfo;
import io.zab.wire.Txn;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * S6: a new epoch is above the epoch of every zxid in the logs of the discovery quorum (the leader's own
 * included), whatever the voters' epoch files say. Otherwise the leader's first zxid {@code (newEpoch, 1)} does
 * not follow its own log and the protocol thread dies on the first write (issue 14, item 2: every server's epoch
 * files were lost, each write killed the leader, one leader after another). The runtime refuses such a start
 * (epoch file missing or older than the log); the core must still never crash on it.
 */
class EpochAboveEveryLogTest {
  /** A log through epochs 1..4 ending at 0x4:0x3, with epoch files that say 0/0 (lost). */
  private static PersistentState forgottenEpochs() {
    List<Txn> log = new ArrayList<>();
    for (long e = 1; e <= 4; e++) {
      log.addAll(txns(e, 3));
    }
    return new PersistentState(0, 0, Zxid.ZERO, log);
  }

  @Test
  void S6_withEveryEpochFileLostALeaderStillChoosesAnEpochAboveTheLogsAndCommits() {
    CoreCluster c = new CoreCluster(3);
    for (long sid = 1; sid <= 3; sid++) {
      c.withState(sid, forgottenEpochs());
    }
    c.startAllEstablished();
    long leader = c.leaders().get(0);

    c.submit(leader, 1, "after"); // threw LogGapException before: txn 0x1:0x1 does not follow 0x4:0x3

    assertThat(c.peer(leader).acceptedEpoch()).isEqualTo(5);

    assertThat(c.answers.get(leader)).contains(new Complete(1, Zxid.of(5, 1)));
    for (long sid = 1; sid <= 3; sid++) {
      assertThat(c.deliveredZxids(sid)).endsWith(Zxid.of(4, 3), Zxid.of(5, 1));
    }
  }

  @Test
  void S6_aFollowerWhoseLogIsAheadOfItsAcceptedEpochRaisesTheNewEpoch() {
    // Leader 3 holds 0x2:0x2 and accepted 2; follower 1 reports acceptedEpoch 0 but a log ending in epoch 7.
    Peer p = new Peer(new PeerConfig(3, java.util.Set.of(1L, 2L, 3L), new Timing(2, 8, 60, 20, 3), 1024, 100, 10),
        new PersistentState(2, 2, Zxid.ZERO, txns(2, 2)));
    p.handle(new Event.Start());
    Zxid mine = Zxid.of(2, 2);
    p.handle(S5RoundRulesTest.vote(1, 3, mine, 1, 2));
    p.handle(S5RoundRulesTest.vote(2, 3, mine, 1, 2));

    List<Action> out = p.handle(new Event.Received(1, new FollowerInfo(0, Zxid.of(7, 4))));

    assertThat(out).containsExactly(new SaveAcceptedEpoch(8), new Send(1, new LeaderInfo(8)));
  }

  @Test
  void S7_aCurrentEpochBelowTheLogsLastEpochIsNormalAndRecovers() {
    // Server 1 crashed during sync in epoch 2: it logged 0x2:0x1 (a proposal after NEWLEADER) but had not yet
    // saved currentEpoch 2 nor acked anything of epoch 2. The others established epoch 2 and logged 0x2:0x2.
    List<Txn> epoch1 = txns(1, 3);
    List<Txn> epoch2 = txns(2, 2);
    List<Txn> s1 = new ArrayList<>(epoch1);
    s1.add(epoch2.get(0));
    List<Txn> others = new ArrayList<>(epoch1);
    others.addAll(epoch2);
    CoreCluster c = new CoreCluster(3)
        .withState(1, new PersistentState(2, 1, Zxid.ZERO, s1))
        .withState(2, new PersistentState(2, 2, Zxid.ZERO, others))
        .withState(3, new PersistentState(2, 2, Zxid.ZERO, others));
    c.startAllEstablished();
    long leader = c.leaders().get(0);
    c.submit(leader, 1, "next");
    assertThat(c.answers.get(leader)).contains(new Complete(1, Zxid.of(3, 1)));
    for (long sid = 1; sid <= 3; sid++) {
      assertThat(c.deliveredZxids(sid)).endsWith(Zxid.of(2, 2), Zxid.of(3, 1));
    }
  }
}
