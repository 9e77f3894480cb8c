package io.zab.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.Role;
import io.zab.Zxid;
import io.zab.wire.Txn;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** S4 (and S2): votes order by epoch, then zxid, then sid; the best-ranked server wins the election. */
class S4VoteOrderTest {

  @Test
  void epochBeatsZxidBeatsSid() {
    Vote highEpochLowZxid = new Vote(1, Zxid.of(2, 1), 3);
    Vote lowEpochHighZxid = new Vote(9, Zxid.of(2, 99), 2);
    assertThat(highEpochLowZxid.beats(lowEpochHighZxid)).isTrue();
    assertThat(lowEpochHighZxid.beats(highEpochLowZxid)).isFalse();

    Vote higherZxid = new Vote(1, Zxid.of(2, 5), 2);
    Vote higherSid = new Vote(9, Zxid.of(2, 4), 2);
    assertThat(higherZxid.beats(higherSid)).isTrue();

    Vote sid5 = new Vote(5, Zxid.of(2, 4), 2);
    assertThat(higherSid.beats(sid5)).isTrue();
    assertThat(sid5.beats(sid5)).isFalse();
    assertThat(Vote.ORDER.compare(sid5, new Vote(5, Zxid.of(2, 4), 2))).isZero();
  }

  @Test
  void zxidOrderIsUnsignedSoHighEpochsStillRankAbove() {
    Vote big = new Vote(1, Zxid.of(0x8000_0000L, 1), 0);
    Vote small = new Vote(2, Zxid.of(1, 1), 0);
    assertThat(big.beats(small)).isTrue();
  }

  @Test
  void serverWithNewestDataWinsOverHigherSid() {
    CoreCluster c = new CoreCluster(3)
        .withState(1, state(1, 1, 3))
        .withState(2, state(1, 1, 2))
        .withState(3, state(1, 1, 2));
    c.startAllEstablished();
    assertThat(c.leaders()).containsExactly(1L);
    assertThat(c.peer(2).leader()).isEqualTo(1);
    assertThat(c.peer(3).role()).isEqualTo(Role.FOLLOWING);
  }

  @Test
  void higherCurrentEpochWinsOverLongerLog() {
    // server 1 acknowledged epoch 2 (currentEpoch 2) with a short log; 2 and 3 stayed in epoch 1 with more txns
    List<Txn> shortLog = new ArrayList<>(txns(1, 2));
    shortLog.add(new Txn(Zxid.of(2, 1), "e2".getBytes()));
    CoreCluster c = new CoreCluster(3)
        .withState(1, new PersistentState(2, 2, Zxid.ZERO, shortLog))
        .withState(2, state(1, 1, 5))
        .withState(3, state(1, 1, 5));
    c.startAllEstablished();
    assertThat(c.leaders()).containsExactly(1L);
  }

  @Test
  void equalDataLargestSidWins() {
    CoreCluster c = new CoreCluster(5);
    for (long sid = 1; sid <= 5; sid++) {
      c.withState(sid, state(1, 1, 4));
    }
    c.startAllEstablished();
    assertThat(c.leaders()).containsExactly(5L);
    assertThat(c.peer(1).currentVote()).isEqualTo(new Vote(5, Zxid.of(1, 4), 1));
  }

  static PersistentState state(long accepted, long current, int txnsInEpoch1) {
    return new PersistentState(accepted, current, Zxid.ZERO, txns(1, txnsInEpoch1));
  }

  static List<Txn> txns(long epoch, int count) {
    List<Txn> out = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      out.add(new Txn(Zxid.of(epoch, i), ("t" + epoch + "." + i).getBytes()));
    }
    return out;
  }
}
