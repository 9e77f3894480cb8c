package io.zab.protocol;

import static io.zab.protocol.S4VoteOrderTest.txns;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zab.Zxid;
import io.zab.wire.MessageCodec;
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

  @Test
  void olderPayloadsArePackedIntoPagesAndReadBackUnchanged() {
    InMemoryLog log = new InMemoryLog(Zxid.ZERO, List.of(), 1, 4_096);
    List<Txn> appended = new java.util.ArrayList<>();
    java.util.Random random = new java.util.Random(3);
    for (int c = 1; c <= 3_000; c++) {
      byte[] data = new byte[random.nextInt(2_000)];
      random.nextBytes(data);
      Txn t = new Txn(Zxid.of(1, c), data);
      appended.add(t);
      log.append(t);
    }
    assertThat(log.pageCount()).as("about 3 MB of older payloads went into pages").isBetween(2, 4);
    assertThat(log.range(Zxid.ZERO, log.last())).containsExactlyElementsOf(appended);
    assertThat(log.batchAfter(Zxid.of(1, 10), log.last(), 5, Long.MAX_VALUE))
        .containsExactlyElementsOf(appended.subList(10, 15));
    log.compact(Zxid.of(1, 2_990), 0, 0);
    assertThat(log.pageCount()).as("pages of compacted txns are freed").isLessThanOrEqualTo(1);
    assertThat(log.range(log.base(), log.last())).containsExactlyElementsOf(appended.subList(2_990, 3_000));
  }

  /** The log against a plain list of txns (what it held before it packed payloads), under random operations. */
  @Test
  void behavesLikeAListOfTxns() {
    java.util.Random random = new java.util.Random(5);
    for (int round = 0; round < 100; round++) {
      InMemoryLog log = new InMemoryLog(Zxid.ZERO, List.of(), 1, random.nextInt(3) * 1_000);
      java.util.ArrayList<Txn> model = new java.util.ArrayList<>();
      Zxid base = Zxid.ZERO;
      int epoch = 1;
      int counter = 0;
      for (int step = 0; step < 300; step++) {
        int op = random.nextInt(100);
        Zxid last = model.isEmpty() ? base : model.get(model.size() - 1).zxid();
        if (op < 70) {
          if (random.nextInt(50) == 0) {
            epoch++;
            counter = 0;
          }
          byte[] data = new byte[random.nextInt(20) == 0 ? PayloadPages.MAX_PACKED_BYTES + 1 : random.nextInt(600)];
          random.nextBytes(data);
          // some configuration txns: packing must keep each txn's kind, not only its bytes
          Txn t = new Txn(Zxid.of(epoch, ++counter), random.nextInt(10) == 0 ? Txn.Kind.CONFIG : Txn.Kind.APPLICATION,
              data);
          log.append(t);
          model.add(t);
        } else if (op < 80 && !model.isEmpty()) {
          int upTo = random.nextInt(model.size());
          int retain = random.nextInt(5);
          long retainBytes = random.nextInt(1_500);
          log.compact(model.get(upTo).zxid(), retain, retainBytes);
          int end = upTo + 1;
          int keepFrom = Math.max(0, model.size() - retain);
          long kept = 0;
          int first = end;
          while (first > keepFrom && kept + model.get(first - 1).data().length <= retainBytes) {
            first--;
            kept += model.get(first).data().length;
          }
          if (first > 0) {
            base = model.get(first - 1).zxid();
            model.subList(0, first).clear();
          }
        } else if (op < 85 && !model.isEmpty()) {
          int keep = random.nextInt(model.size());
          log.truncateAfter(keep == 0 ? base : model.get(keep - 1).zxid());
          model.subList(keep, model.size()).clear();
          last = model.isEmpty() ? base : model.get(model.size() - 1).zxid();
          epoch = (int) last.epoch() + 1; // the next leader's epoch
          counter = 0;
        } else if (op < 87) {
          base = Zxid.of(++epoch, 7);
          log.resetTo(base);
          model.clear();
          counter = 7;
        } else if (!model.isEmpty()) {
          int from = random.nextInt(model.size());
          int to = from + random.nextInt(model.size() - from);
          Zxid fromZ = from == 0 ? base : model.get(from - 1).zxid();
          assertThat(log.range(fromZ, model.get(to).zxid())).containsExactlyElementsOf(model.subList(from, to + 1));
          int maxTxns = 1 + random.nextInt(4);
          long maxBody = MessageCodec.PROPOSAL_HEADER_BYTES + random.nextInt(2_000);
          List<Txn> batch = log.batchAfter(fromZ, last, maxTxns, maxBody);
          long body = MessageCodec.PROPOSAL_HEADER_BYTES;
          int n = 0;
          while (from + n < model.size() && n < maxTxns) {
            long more = MessageCodec.PROPOSAL_TXN_OVERHEAD_BYTES + model.get(from + n).data().length;
            if (n > 0 && body + more > maxBody) {
              break;
            }
            body += more;
            n++;
          }
          assertThat(batch).containsExactlyElementsOf(model.subList(from, from + n));
          assertThat(log.countAfter(fromZ)).isEqualTo(model.size() - from);
          assertThat(log.bytesAfter(fromZ))
              .isEqualTo(model.subList(from, model.size()).stream().mapToLong(t -> t.data().length).sum());
          assertThat(log.floor(Zxid.of(model.get(to).zxid().epoch(), model.get(to).zxid().counter())))
              .isEqualTo(model.get(to).zxid());
          assertThat(log.knows(model.get(to).zxid())).isTrue();
        }
        last = model.isEmpty() ? base : model.get(model.size() - 1).zxid();
        assertThat(log.last()).isEqualTo(last);
        assertThat(log.base()).isEqualTo(base);
        assertThat(log.size()).isEqualTo(model.size());
        assertThat(log.bytes()).isEqualTo(model.stream().mapToLong(t -> t.data().length).sum());
      }
    }
  }
}
