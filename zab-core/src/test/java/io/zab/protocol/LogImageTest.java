package io.zab.protocol;

import static io.zab.protocol.S4VoteOrderTest.txns;
import static org.assertj.core.api.Assertions.assertThat;

import io.zab.Zxid;
import io.zab.wire.Txn;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The disk's log that the protocol tests and the simulator share: durability, crashes, snapshots, order checks. */
class LogImageTest {

  @Test
  void anFsyncCoversWhatWasAppendedBeforeItStartedEvenAcrossATruncate() {
    LogImage log = new LogImage(Zxid.ZERO, txns(1, 2));
    log.append(txns(1, 4).subList(2, 4), p -> {
      throw new AssertionError(p);
    });
    long covered = log.lastUnsyncedSeq();
    assertThat(log.truncateAfter(Zxid.of(1, 3))).isNull();
    log.append(List.of(new Txn(Zxid.of(2, 1), new byte[0])), p -> {
      throw new AssertionError(p);
    });
    assertThat(log.syncThrough(covered)).isEqualTo(Zxid.of(1, 3));
    assertThat(log.durableLastZxid()).isEqualTo(Zxid.of(1, 3));
    assertThat(log.lastZxid()).isEqualTo(Zxid.of(2, 1));
    log.crash(0);
    assertThat(log.txns()).extracting(Txn::zxid).containsExactly(Zxid.of(1, 1), Zxid.of(1, 2), Zxid.of(1, 3));
    assertThat(log.durablyHolds(Zxid.of(1, 3))).isTrue();
    assertThat(log.durablyHolds(Zxid.of(2, 1))).isFalse();
  }

  @Test
  void reportsAppendsOutOfOrderAndTruncationBelowTheSnapshot() {
    LogImage log = new LogImage(Zxid.ZERO, txns(1, 3));
    List<String> problems = new ArrayList<>();
    log.append(List.of(new Txn(Zxid.of(1, 5), new byte[0]), new Txn(Zxid.of(1, 5), new byte[0])), problems::add);
    assertThat(problems).hasSize(2);
    assertThat(problems.get(0)).contains("gap within epoch 1");
    assertThat(problems.get(1)).contains("strictly increase");
    log.compactTo(Zxid.of(1, 3));
    assertThat(log.txns()).extracting(Txn::zxid).containsExactly(Zxid.of(1, 5), Zxid.of(1, 5));
    assertThat(log.truncateAfter(Zxid.of(1, 2))).contains("below the snapshot");
    assertThat(log.truncateAfter(Zxid.of(1, 3))).isNull();
  }

  @Test
  void aCrashKeepsTheFlushedPrefixOfTheUnsyncedTail() {
    LogImage log = new LogImage(Zxid.ZERO, List.of());
    log.append(txns(1, 4), p -> {
      throw new AssertionError(p);
    });
    assertThat(log.syncFirst(1)).isEqualTo(Zxid.of(1, 1));
    log.crash(2);
    assertThat(log.durableTxns()).extracting(Txn::zxid).containsExactly(Zxid.of(1, 1), Zxid.of(1, 2), Zxid.of(1, 3));
    assertThat(log.unsyncedCount()).isZero();
    log.damageKeeping(1);
    assertThat(log.txns()).extracting(Txn::zxid).containsExactly(Zxid.of(1, 1));
    log.resetTo(Zxid.of(1, 9));
    assertThat(log.txns()).isEmpty();
    assertThat(log.lastZxid()).isEqualTo(Zxid.of(1, 9));
  }
}
