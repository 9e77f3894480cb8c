package io.zab.examples.lock;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.examples.lock.LockTable.AcquireResult;
import io.zab.examples.lock.LockTable.Grant;
import io.zab.examples.lock.LockTable.ReleaseResult;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LockTableTest {

  @Test
  void s11_waitersAreServedInFifoOrderWithIncreasingFencingTokens() {
    LockTable t = new LockTable();
    assertThat(t.acquire("L", 1, true, 100)).isEqualTo(new AcquireResult.Granted(new Grant("L", 1, 100), false));
    assertThat(t.acquire("L", 3, true, 101)).isEqualTo(new AcquireResult.Queued(1));
    assertThat(t.acquire("L", 2, true, 102)).isEqualTo(new AcquireResult.Queued(2));
    assertThat(t.acquire("L", 3, true, 103)).isEqualTo(new AcquireResult.Queued(1)); // keeps its place

    assertThat(t.release("L", 1, 104)).isEqualTo(new ReleaseResult.Released(Optional.of(new Grant("L", 3, 104))));
    assertThat(t.release("L", 3, 105)).isEqualTo(new ReleaseResult.Released(Optional.of(new Grant("L", 2, 105))));
    assertThat(t.release("L", 2, 106)).isEqualTo(new ReleaseResult.Released(Optional.empty()));
    assertThat(t.view("L")).isEmpty();
  }

  @Test
  void s11_tryAcquireOfHeldLockIsBusyAndDoesNotQueue() {
    LockTable t = new LockTable();
    t.acquire("L", 1, false, 10);
    assertThat(t.acquire("L", 2, false, 11)).isEqualTo(new AcquireResult.Busy(1));
    assertThat(t.view("L").orElseThrow().waiters()).isEmpty();
  }

  @Test
  void s11_holderAskingAgainKeepsItsToken() {
    LockTable t = new LockTable();
    t.acquire("L", 1, true, 10);
    assertThat(t.acquire("L", 1, true, 20)).isEqualTo(new AcquireResult.Granted(new Grant("L", 1, 10), true));
  }

  @Test
  void s11_endedSessionLeavesQueuesAndHandsItsLocksOver() {
    LockTable t = new LockTable();
    t.acquire("A", 1, true, 10);
    t.acquire("B", 1, true, 11);
    t.acquire("A", 2, true, 12);
    t.acquire("A", 3, true, 13);
    t.acquire("C", 4, true, 14);
    t.acquire("C", 2, true, 15);
    assertThat(t.sessionEnded(2, 16)).isEmpty(); // 2 was only waiting
    assertThat(t.view("A").orElseThrow().waiters()).containsExactly(3L);
    assertThat(t.view("C").orElseThrow().waiters()).isEmpty();

    List<Grant> grants = t.sessionEnded(1, 17);
    assertThat(grants).containsExactly(new Grant("A", 3, 17));
    assertThat(t.view("B")).isEmpty();
    assertThat(t.view("A").orElseThrow().fencingToken()).isEqualTo(17);
  }

  @Test
  void releaseByNonHolderIsRefused() {
    LockTable t = new LockTable();
    assertThat(t.release("L", 1, 5)).isEqualTo(new ReleaseResult.NotHolder(0));
    t.acquire("L", 1, true, 6);
    assertThat(t.release("L", 2, 7)).isEqualTo(new ReleaseResult.NotHolder(1));
  }

  @Test
  void cancelWaitLeavesQueueOrReportsAnEarlierGrant() {
    LockTable t = new LockTable();
    t.acquire("L", 1, true, 10);
    t.acquire("L", 2, true, 11);
    t.release("L", 1, 12);
    assertThat(t.cancelWait("L", 2)).contains(new Grant("L", 2, 12));
    t.acquire("L", 3, true, 13);
    assertThat(t.cancelWait("L", 3)).isEmpty();
    assertThat(t.view("L").orElseThrow().waiters()).isEmpty();
  }
}
