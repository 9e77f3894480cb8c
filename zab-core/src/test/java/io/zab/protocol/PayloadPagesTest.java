package io.zab.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zab.Zxid;
import io.zab.wire.Txn;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The pages of packed payloads: freed pages are filled again, not allocated anew. */
class PayloadPagesTest {
  private static final int PAYLOAD = 1_000;

  private static byte[] payload(Random random) {
    byte[] data = new byte[PAYLOAD];
    random.nextBytes(data);
    return data;
  }

  /** Adds {@code pages} pages' worth of payloads; returns their positions, the payloads in {@code added}. */
  private static List<Long> fill(PayloadPages pages, int pageWorth, Random random, List<byte[]> added) {
    List<Long> at = new ArrayList<>();
    int perPage = PayloadPages.PAGE_BYTES / PAYLOAD;
    for (int i = 0; i < pageWorth * perPage; i++) {
      byte[] data = payload(random);
      added.add(data);
      at.add(pages.add(data));
    }
    return at;
  }

  @Test
  void freedPagesAreFilledAgainWithoutNewAllocation() {
    PayloadPages pages = new PayloadPages();
    Random random = new Random(7);
    List<byte[]> added = new ArrayList<>();
    fill(pages, 10, random, added);
    long allocated = pages.allocatedCount();
    assertThat(allocated).isEqualTo(10);
    for (int cycle = 0; cycle < 5; cycle++) {
      // what a snapshot's compaction does: everything before the newest two pages is no longer needed
      pages.releaseBefore(pages.end() - 2L * PayloadPages.PAGE_BYTES);
      assertThat(pages.spareCount()).isPositive();
      List<byte[]> now = new ArrayList<>();
      List<Long> at = fill(pages, 7, random, now);
      for (int i = 0; i < at.size(); i++) {
        assertThat(pages.read(at.get(i), PAYLOAD)).as("a payload written into a reused page").isEqualTo(now.get(i));
      }
    }
    assertThat(pages.allocatedCount()).as("steady state: no page allocated after the first fill").isEqualTo(allocated);
  }

  @Test
  void keepsAtMostOneMoreSpareThanTheLatestReleaseFreed() {
    PayloadPages pages = new PayloadPages();
    Random random = new Random(8);
    fill(pages, 20, random, new ArrayList<>());
    pages.releaseBefore(pages.end() - PayloadPages.PAGE_BYTES); // a peak: 18 pages freed, the newest two stay
    assertThat(pages.spareCount()).isEqualTo(18);
    fill(pages, 2, random, new ArrayList<>());
    assertThat(pages.spareCount()).isEqualTo(16);
    pages.releaseBefore(pages.end() - PayloadPages.PAGE_BYTES); // a small release: 2 freed, the excess goes
    assertThat(pages.spareCount()).isEqualTo(3);
    assertThat(pages.pageCount()).isEqualTo(2);
    assertThat(pages.allocatedCount()).isEqualTo(20);
  }

  @Test
  void clearKeepsThePagesAsSparesAndReleasedPositionsStayUnreadable() {
    PayloadPages pages = new PayloadPages();
    Random random = new Random(9);
    List<Long> at = fill(pages, 3, random, new ArrayList<>());
    pages.clear();
    assertThat(pages.pageCount()).isZero();
    assertThat(pages.spareCount()).isEqualTo(3);
    assertThatThrownBy(() -> pages.read(at.get(0), PAYLOAD)).isInstanceOf(IllegalStateException.class);
    byte[] data = payload(random);
    long position = pages.add(data);
    assertThat(pages.read(position, PAYLOAD)).isEqualTo(data);
    assertThat(pages.allocatedCount()).isEqualTo(3);
  }

  /** Through the log: a snapshot cycle after cycle packs into the pages the previous compaction freed. */
  @Test
  void theLogReusesThePagesItsCompactionsFree() {
    InMemoryLog log = new InMemoryLog(Zxid.ZERO, List.of(), 1, 4_096);
    Random random = new Random(10);
    long allocatedAtSteadySize = -1;
    int counter = 0;
    for (int cycle = 0; cycle < 8; cycle++) {
      List<Txn> appended = new ArrayList<>();
      for (int i = 0; i < 5_000; i++) {
        Txn t = new Txn(Zxid.of(1, ++counter), payload(random));
        appended.add(t);
        log.append(t);
      }
      assertThat(log.range(log.base(), log.last())).endsWith(appended.toArray(Txn[]::new));
      log.compact(log.last(), 1_000, Long.MAX_VALUE); // a snapshot at the last txn, the newest 1,000 retained
      if (cycle == 1) { // the log has its steady size: the retained txns plus one interval's
        allocatedAtSteadySize = log.pagesAllocated();
      }
    }
    assertThat(log.pagesAllocated()).as("later cycles reuse the pages the previous compaction freed")
        .isEqualTo(allocatedAtSteadySize);
  }
}
