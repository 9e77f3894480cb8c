package io.zab.protocol;

import static io.zab.protocol.S4VoteOrderTest.txns;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zab.Zxid;
import io.zab.wire.Txn;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The in-memory log: gap-free appends, history queries, truncation and compaction. */
class InMemoryLogTest {

  private static InMemoryLog log(List<Txn> txns) {
    return new InMemoryLog(Zxid.ZERO, txns, 1);
  }

  @Test
  void refusesGapsReorderingAndBadEpochStarts() {
    InMemoryLog log = log(txns(1, 3));
    assertThatThrownBy(() -> log.append(new Txn(Zxid.of(1, 5), new byte[0])))
        .isInstanceOf(InMemoryLog.LogGapException.class).hasMessageContaining("0x1:0x5").hasMessageContaining("0x1:0x3");
    assertThatThrownBy(() -> log.append(new Txn(Zxid.of(1, 3), new byte[0])))
        .isInstanceOf(InMemoryLog.LogGapException.class);
    assertThatThrownBy(() -> log.append(new Txn(Zxid.of(2, 2), new byte[0])))
        .as("a new epoch starts at counter 1").isInstanceOf(InMemoryLog.LogGapException.class);
    log.append(new Txn(Zxid.of(2, 1), new byte[0]));
    assertThat(log.last()).isEqualTo(Zxid.of(2, 1));
  }

  @Test
  void knowsFloorAndRange() {
    InMemoryLog log = log(txns(1, 5));
    assertThat(log.knows(Zxid.ZERO)).isTrue();
    assertThat(log.knows(Zxid.of(1, 3))).isTrue();
    assertThat(log.knows(Zxid.of(1, 6))).isFalse();
    assertThat(log.floor(Zxid.of(1, 9))).isEqualTo(Zxid.of(1, 5));
    assertThat(log.floor(Zxid.of(0, 7))).isEqualTo(Zxid.ZERO);
    assertThat(log.range(Zxid.of(1, 2), Zxid.of(1, 4))).extracting(Txn::zxid)
        .containsExactly(Zxid.of(1, 3), Zxid.of(1, 4));
    assertThat(log.countAfter(Zxid.of(1, 2))).isEqualTo(3);
  }

  @Test
  void truncateKeepsThePrefix() {
    InMemoryLog log = log(txns(1, 5));
    log.truncateAfter(Zxid.of(1, 2));
    assertThat(log.last()).isEqualTo(Zxid.of(1, 2));
    log.append(new Txn(Zxid.of(2, 1), new byte[0]));
    assertThat(log.size()).isEqualTo(3);
  }

  @Test
  void compactionKeepsTheNewestAndMovesTheBase() {
    InMemoryLog log = log(txns(1, 10));
    log.compact(Zxid.of(1, 8), 4, Long.MAX_VALUE);
    assertThat(log.base()).isEqualTo(Zxid.of(1, 6));
    assertThat(log.size()).isEqualTo(4);
    assertThat(log.floor(Zxid.of(1, 3))).as("older than anything held").isNull();
    assertThatThrownBy(() -> log.truncateAfter(Zxid.of(1, 3))).isInstanceOf(InMemoryLog.LogGapException.class);
    log.compact(Zxid.of(1, 7), 0, Long.MAX_VALUE);
    assertThat(log.base()).isEqualTo(Zxid.of(1, 7));
  }

  @Test
  void compactionKeepsNoMoreThanTheByteBoundOfSnapshottedTxns() {
    InMemoryLog log = log(List.of());
    for (int c = 1; c <= 10; c++) {
      log.append(new Txn(Zxid.of(1, c), new byte[100]));
    }
    assertThat(log.bytes()).isEqualTo(1000);
    log.compact(Zxid.of(1, 8), 10, 250);
    assertThat(log.base()).as("two snapshotted txns fit in 250 bytes, a third would not").isEqualTo(Zxid.of(1, 6));
    assertThat(log.size()).as("the txns after the snapshot are always held").isEqualTo(4);
    assertThat(log.bytes()).isEqualTo(400);
    log.truncateAfter(Zxid.of(1, 8));
    assertThat(log.bytes()).isEqualTo(200);
    log.resetTo(Zxid.of(2, 5));
    assertThat(log.bytes()).isZero();
  }

  @Test
  void recoveredLogWithAGapIsRefusedNamingTheServer() {
    PersistentState broken = new PersistentState(1, 1, Zxid.ZERO,
        List.of(new Txn(Zxid.of(1, 1), new byte[0]), new Txn(Zxid.of(1, 3), new byte[0])));
    assertThatThrownBy(() -> new Peer(PeerConfig.of(2, java.util.Set.of(1L, 2L, 3L)), broken))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("server 2").hasMessageContaining("0x1:0x3");
  }
}
