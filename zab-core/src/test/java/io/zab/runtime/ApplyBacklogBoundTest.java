package io.zab.runtime;

import static io.zab.runtime.ActionRunnerFixture.txn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zab.Zxid;
import io.zab.protocol.Action.Deliver;
import io.zab.wire.Txn;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Committed txns waiting for a slow state machine are bounded in memory: the protocol thread waits past the bound. */
class ApplyBacklogBoundTest {
  private static final List<Txn> THREE = List.of(txn(1, 1), txn(1, 2), txn(1, 3));

  @TempDir
  Path dir;

  @Test
  void aDeliveryPastTheBoundWaitsUntilTheStateMachineCatchesUp() throws Exception {
    try (ActionRunnerFixture f = new ActionRunnerFixture(dir, oneTxnWorth())) {
      CompletableFuture<Void> ran = f.runAsync(List.of(new Deliver(THREE)));
      assertThatThrownBy(() -> ran.get(300, TimeUnit.MILLISECONDS)).as("not while the backlog is over the bound")
          .isInstanceOf(TimeoutException.class);
      assertThat(f.applyLoop.backlog()).isEqualTo(3);

      f.held.release();
      ran.get(5, TimeUnit.SECONDS);
      assertThat(f.applyLoop.backlogBytes()).isLessThanOrEqualTo(oneTxnWorth());
      assertThat(f.runner.applyStalls()).isEqualTo(1);
      CompletableFuture<Zxid> applied = new CompletableFuture<>();
      f.applyLoop.completeWhenApplied(Zxid.of(1, 3), applied);
      applied.get(5, TimeUnit.SECONDS);
      assertThat(f.sm.zxids()).containsExactly(Zxid.of(1, 1), Zxid.of(1, 2), Zxid.of(1, 3));
    }
  }

  @Test
  void aDeliveryWithinTheBoundDoesNotWait() throws Exception {
    try (ActionRunnerFixture f = new ActionRunnerFixture(dir, ApplyLoop.bytesOf(THREE))) {
      f.runAsync(List.of(new Deliver(THREE))).get(5, TimeUnit.SECONDS); // the state machine is still held
      assertThat(f.runner.applyStalls()).isZero();
      assertThat(f.applyLoop.backlog()).isEqualTo(3);
    }
  }

  @Test
  void aNodeThatStopsWhileWaitingForTheStateMachineGivesUpTheWait() throws Exception {
    try (ActionRunnerFixture f = new ActionRunnerFixture(dir, oneTxnWorth())) {
      CompletableFuture<Void> ran = f.runAsync(List.of(new Deliver(THREE)));
      assertThatThrownBy(() -> ran.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);

      f.stopping.set(true);
      assertThatThrownBy(() -> ran.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
          .cause().isInstanceOf(UncheckedIOException.class).hasMessageContaining("waiting for the state machine");
    }
  }

  private static long oneTxnWorth() {
    return ApplyLoop.bytesOf(List.of(txn(1, 1)));
  }
}
