package io.zab.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.Zxid;
import io.zab.protocol.Action.Complete;
import io.zab.protocol.Action.Reject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The requests waiting for a commit complete in zxid order, then in arrival order, however they arrive. */
class PendingRequestsTest {

  private record Expected(long requestId, Zxid zxid, long arrival) {}

  @Test
  void completesInZxidThenArrivalOrderWhateverTheArrivalOrder() {
    Random random = new Random(11);
    for (int round = 0; round < 500; round++) {
      PendingRequests pending = new PendingRequests();
      List<Expected> waiting = new ArrayList<>();
      List<Action> out = new ArrayList<>();
      List<Expected> completed = new ArrayList<>();
      long next = 1;
      int committed = 0;
      for (int step = 0; step < 60; step++) {
        int r = random.nextInt(10);
        if (r < 6) { // mostly in order (writes), sometimes behind (a barrier) or equal
          int zxid = Math.max(0, committed + random.nextInt(8) - (r == 0 ? 6 : 0));
          long id = next++;
          if (random.nextBoolean()) {
            pending.awaitCommit(id, Zxid.of(1, zxid));
          } else {
            pending.awaitBarrier(id, Zxid.of(1, zxid));
          }
          waiting.add(new Expected(id, Zxid.of(1, zxid), id));
        } else {
          committed += random.nextInt(4);
          pending.completeUpTo(Zxid.of(1, committed), out::add);
          Zxid c = Zxid.of(1, committed);
          waiting.stream().filter(w -> !w.zxid().isAfter(c))
              .sorted(Comparator.comparing(Expected::zxid).thenComparingLong(Expected::arrival))
              .forEach(completed::add);
          waiting.removeIf(w -> !w.zxid().isAfter(c));
        }
      }
      assertThat(out).containsExactlyElementsOf(
          completed.stream().map(e -> (Action) new Complete(e.requestId(), e.zxid())).toList());
      List<Action> failed = new ArrayList<>();
      pending.failAll(failed::add);
      assertThat(failed.stream().map(a -> ((Reject) a).requestId()).toList()).containsExactlyElementsOf(
          waiting.stream().sorted(Comparator.comparing(Expected::zxid).thenComparingLong(Expected::arrival))
              .map(Expected::requestId).toList());
    }
  }
}
