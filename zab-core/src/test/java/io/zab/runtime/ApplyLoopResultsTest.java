package io.zab.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zab.Applied;
import io.zab.ClosedException;
import io.zab.ResultUnavailableException;
import io.zab.Zxid;
import io.zab.runtime.TallyStateMachine.Reply;
import io.zab.wire.Txn;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, on the apply thread: the result of applying a write goes to the future of the write submitted here
 * (registered before its txn is delivered, as the core orders it), on the callback executor; nothing is kept for
 * txns nobody waits for; a write that arrived inside a restored snapshot has no result; a throwing apply fails
 * the waiting write instead of leaving it hanging.
 */
class ApplyLoopResultsTest {
  private final TallyStateMachine tally = new TallyStateMachine();
  private final ApplyLoopTest.MemorySnapshots snapshots = new ApplyLoopTest.MemorySnapshots();
  private final CompletableFuture<Throwable> fatal = new CompletableFuture<>();
  private final ExecutorService callbackThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "app-callbacks"));
  @TempDir
  Path dir;
  private SnapshotTaker taker;
  private ApplyLoop loop;

  @AfterEach
  void close() {
    if (loop != null) {
      loop.close(new ClosedException("test over"));
    }
    if (taker != null) {
      taker.close();
    }
    callbackThread.shutdownNow();
  }

  private void start() {
    taker = new SnapshotTaker(1, snapshots, dir, z -> {}, (what, e) -> fatal.complete(e), System::nanoTime);
    loop = new ApplyLoop(1, tally, Zxid.ZERO, null, 1_000, ApplyLoop.SNAPSHOT_EVERY_BYTES, snapshots, taker,
        fatal::complete, new Callbacks(1, callbackThread));
    loop.start();
  }

  private static Txn txn(long counter, String command) {
    return new Txn(Zxid.of(1, counter), command.getBytes(StandardCharsets.UTF_8));
  }

  private ResultFuture<Reply> awaitResult(long counter) {
    ResultFuture<Reply> f = new ResultFuture<>();
    loop.completeWhenApplied(Zxid.of(1, counter), f);
    return f;
  }

  private static <T> T await(CompletableFuture<T> f) throws Exception {
    return f.get(5, TimeUnit.SECONDS);
  }

  @Test
  void eachWriteGetsTheResultOfItsOwnApply_onTheCallbackThread_andABarrierItsZxid() throws Exception {
    start();
    ResultFuture<Reply> first = awaitResult(1);
    ResultFuture<Reply> third = awaitResult(3);
    CompletableFuture<Zxid> barrier = new CompletableFuture<>();
    loop.completeWhenApplied(Zxid.of(1, 3), barrier);
    CompletableFuture<String> thread = third.thenApply(a -> Thread.currentThread().getName());
    loop.deliver(List.of(txn(1, "5"), txn(2, "-100"), txn(3, "2")));

    // First: a thread blocked in get() on `third` may itself run continuations of `third` (CompletableFuture helps).
    assertThat(await(thread)).as("user code runs on the callback executor, not the apply thread")
        .isEqualTo("app-callbacks");
    Applied<Reply> a1 = await(first);
    Applied<Reply> a3 = await(third);
    assertThat(a1).isEqualTo(new Applied<>(Zxid.of(1, 1), new Reply.Total(5)));
    assertThat(a3).isEqualTo(new Applied<>(Zxid.of(1, 3), new Reply.Total(7)));
    assertThat(a3.result()).as("the very object this server's apply returned").isSameAs(tally.replyOf(Zxid.of(1, 3)));
    assertThat(await(barrier)).isEqualTo(Zxid.of(1, 3));
  }

  @Test
  void anApplicationErrorIsAResult() throws Exception {
    start();
    ResultFuture<Reply> refused = awaitResult(1);
    loop.deliver(List.of(txn(1, "-1")));
    assertThat(await(refused).result()).isEqualTo(new Reply.Refused("the total 0 cannot go below zero"));
    assertThat(fatal).isNotDone();
  }

  @Test
  void noResultIsKeptForTxnsNobodyWaitsFor() throws Exception {
    start();
    ResultFuture<Reply> mine = awaitResult(50);
    List<Txn> txns = new ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      txns.add(txn(i, "1"));
    }
    loop.deliver(txns.subList(0, 60));
    loop.deliver(txns.subList(60, 100));
    Applied<Reply> kept = await(mine);
    CompletableFuture<Zxid> all = new CompletableFuture<>();
    loop.completeWhenApplied(Zxid.of(1, 100), all);
    await(all);

    assertThat(TallyStateMachine.collectUntil(() -> tally.resultsStillHeld() == 1))
        .as("after full collections only the result someone waited for is held: %d", tally.resultsStillHeld())
        .isTrue();
    assertThat(tally.replyOf(Zxid.of(1, 50))).isSameAs(kept.result());
    assertThat(tally.appliedCount()).isEqualTo(100);
  }

  @Test
  void aWriteThatArrivedInARestoredSnapshotHasNoResult_whetherAwaitedBeforeOrAfterTheRestore() throws Exception {
    TallyStateMachine leaderState = new TallyStateMachine();
    leaderState.apply(Zxid.of(1, 5), java.nio.ByteBuffer.wrap("9".getBytes(StandardCharsets.UTF_8)));
    ByteArrayOutputStream image = new ByteArrayOutputStream();
    leaderState.snapshot(image);
    snapshots.write(Zxid.of(1, 5), null, image::writeTo);
    start();
    loop.deliver(List.of(txn(1, "1")));
    ResultFuture<Reply> before = awaitResult(3);
    loop.restore(Zxid.of(1, 5)).get(5, TimeUnit.SECONDS);
    ResultFuture<Reply> after = awaitResult(4);
    CompletableFuture<Zxid> plain = new CompletableFuture<>();
    loop.completeWhenApplied(Zxid.of(1, 4), plain);

    for (ResultFuture<Reply> f : List.of(before, after)) {
      assertThatThrownBy(() -> await(f)).isInstanceOf(ExecutionException.class)
          .cause().isInstanceOf(ResultUnavailableException.class)
          .hasMessageContaining("installed the leader's snapshot at 0x1:0x5");
    }
    assertThat(((ResultUnavailableException) failure(before)).zxid()).isEqualTo(Zxid.of(1, 3));
    assertThat(((ResultUnavailableException) failure(before)).notApplied()).as("it committed").isFalse();
    assertThat(await(plain)).as("a plain submit needs no result").isEqualTo(Zxid.of(1, 4));
    assertThat(tally.total()).isEqualTo(9);
  }

  @Test
  void anApplyThatThrowsFailsTheWriteWaitingForItsResult_itDoesNotHang() throws Exception {
    start();
    ResultFuture<Reply> poisoned = awaitResult(2);
    loop.deliver(List.of(txn(1, "1"), txn(2, "boom"), txn(3, "1")));
    assertThat(fatal.get(5, TimeUnit.SECONDS)).hasMessage("boom at 0x1:0x2");
    IllegalStateException boom = new IllegalStateException("boom at 0x1:0x2");
    loop.close(new ClosedException("server 1 stopped: the state machine threw", boom)); // what the node does then
    assertThat(failure(poisoned)).isInstanceOf(ClosedException.class).hasCause(boom);
  }

  private static Throwable failure(CompletableFuture<?> f) throws Exception {
    try {
      f.get(5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("completed normally: " + f.join());
  }
}
