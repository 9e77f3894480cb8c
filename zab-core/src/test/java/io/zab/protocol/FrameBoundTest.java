package io.zab.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.Zxid;
import io.zab.protocol.Action.Append;
import io.zab.wire.Message;
import io.zab.wire.Message.Proposal;
import io.zab.wire.MessageCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 item 1: proposals (broadcast batches and sync streams) are bounded in bytes by the frame, not only by
 * maxBatchTxns, so a follower that missed many large txns can rejoin (S7) and a burst of large writes is
 * broadcast (S8). CoreCluster also checks every message of every core test against the frame.
 */
class FrameBoundTest {
  private static final int MIB = 1 << 20;
  private static final int FRAME = MessageCodec.DEFAULT_MAX_FRAME_BYTES;

  private static CoreCluster established() {
    CoreCluster c = new CoreCluster(3).withLimits(MIB, 1_000, 1_000);
    c.startAllEstablished();
    return c;
  }

  @Test
  void S8_aBatchOfLargeSubmitsBecomesSeveralProposalsThatEachFitAFrame() {
    CoreCluster c = established();
    List<Event> submits = new ArrayList<>();
    for (int i = 1; i <= 40; i++) {
      submits.add(new Event.Submit(i, new byte[MIB]));
    }
    List<Action> out = c.batch(3, submits);
    assertThat(out.stream().filter(a -> a instanceof Append).mapToInt(a -> ((Append) a).txns().size()).sum())
        .isEqualTo(40);
    List<Proposal> toOne = c.sent(3, 1).stream().filter(m -> m instanceof Proposal).map(m -> (Proposal) m).toList();
    assertThat(toOne).hasSizeGreaterThan(1);
    toOne.forEach(p -> assertThat(MessageCodec.proposalBytes(p.txns())).isLessThanOrEqualTo(FRAME));
    assertThat(toOne.stream().mapToInt(p -> p.txns().size()).sum()).isEqualTo(40);
    assertThat(c.peer(3).committedZxid()).isEqualTo(Zxid.of(1, 40));
    assertThat(c.deliveredZxids(1)).hasSize(40);
  }

  @Test
  void S7_aFollowerThatMissedManyLargeTxnsIsSyncedInProposalsThatEachFitAFrame() {
    CoreCluster c = established();
    c.partition(Set.of(1L));
    for (int i = 1; i <= 20; i++) {
      c.step(3, new Event.Submit(i, new byte[MIB]));
      c.run();
    }
    assertThat(c.peer(3).committedZxid()).isEqualTo(Zxid.of(1, 20));
    int before = c.sent(3, 1).size();
    c.heal();
    c.tickUntil(() -> c.allEstablished(1, 2, 3), 100);
    List<Message> sync = c.sent(3, 1).subList(before, c.sent(3, 1).size());
    List<Proposal> proposals = sync.stream().filter(m -> m instanceof Proposal).map(m -> (Proposal) m).toList();
    assertThat(proposals).hasSizeGreaterThan(1);
    proposals.forEach(p -> assertThat(MessageCodec.proposalBytes(p.txns())).isLessThanOrEqualTo(FRAME));
    assertThat(c.deliveredZxids(1)).hasSize(20).last().isEqualTo(Zxid.of(1, 20));
  }

  @Test
  void aPayloadLimitThatNoFrameCanCarryIsRefusedNamingBothSettings() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PeerConfig(1, Set.of(1L), Timing.defaults(),
            FRAME, 10, 10, FRAME, PeerConfig.DEFAULT_MAX_IN_FLIGHT_BYTES))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxTxnBytes (" + FRAME + ")")
        .hasMessageContaining("maxFrameBytes (" + FRAME + ")");
  }

}
