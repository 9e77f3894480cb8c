package io.zab.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zab.ClosedException;
import io.zab.StateMachine;
import io.zab.Zxid;
import io.zab.wire.Txn;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ApplyLoopTest {
  private final RecordingStateMachine sm = new RecordingStateMachine();
  private final MemorySnapshots snapshots = new MemorySnapshots();
  private final List<Zxid> taken = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Throwable> fatal = new CompletableFuture<>();
  private ApplyLoop loop;

  @AfterEach
  void close() {
    if (loop != null) {
      loop.close(new ClosedException("test over"));
    }
  }

  private ApplyLoop start(int snapshotEvery) {
    loop = new ApplyLoop(1, sm, Zxid.ZERO, snapshotEvery, snapshots, taken::add, fatal::complete, new Callbacks(1, Runnable::run));
    loop.start();
    return loop;
  }

  private static Txn txn(long counter, String payload) {
    return new Txn(Zxid.of(1, counter), payload.getBytes(StandardCharsets.UTF_8));
  }

  private static Zxid await(CompletableFuture<Zxid> f) throws Exception {
    return f.get(5, TimeUnit.SECONDS);
  }

  @Test
  void appliesInOrderAndCompletesWaitersOnceApplied() throws Exception {
    start(1_000);
    CompletableFuture<Zxid> second = new CompletableFuture<>();
    loop.completeWhenApplied(Zxid.of(1, 2), second);
    assertThat(second).isNotDone();
    loop.deliver(List.of(txn(1, "a")));
    loop.deliver(List.of(txn(2, "b"), txn(3, "c")));
    assertThat(await(second)).isEqualTo(Zxid.of(1, 2));
    CompletableFuture<Zxid> third = new CompletableFuture<>();
    loop.completeWhenApplied(Zxid.of(1, 3), third);
    assertThat(await(third)).isEqualTo(Zxid.of(1, 3));
    assertThat(sm.applied()).containsExactly("a", "b", "c");
    assertThat(loop.applied()).isEqualTo(Zxid.of(1, 3));
  }

  @Test
  void neverAppliesAZxidTwice() throws Exception {
    start(1_000);
    loop.deliver(List.of(txn(1, "a"), txn(2, "b")));
    loop.deliver(List.of(txn(2, "b-again"), txn(3, "c")));
    CompletableFuture<Zxid> done = new CompletableFuture<>();
    loop.completeWhenApplied(Zxid.of(1, 3), done);
    await(done);
    assertThat(sm.applied()).containsExactly("a", "b", "c");
  }

  @Test
  void takesASnapshotEveryNTxnsAndReportsIt() throws Exception {
    start(2);
    loop.deliver(List.of(txn(1, "a")));
    loop.deliver(List.of(txn(2, "b")));
    loop.deliver(List.of(txn(3, "c")));
    CompletableFuture<Zxid> done = new CompletableFuture<>();
    loop.completeWhenApplied(Zxid.of(1, 3), done);
    await(done);
    assertThat(taken).containsExactly(Zxid.of(1, 2));
    RecordingStateMachine copy = new RecordingStateMachine();
    copy.restore(snapshots.open(Zxid.of(1, 2)));
    assertThat(copy.applied()).containsExactly("a", "b");
  }

  @Test
  void takesASnapshotAfterEnoughBytesHoweverFewTxns() throws Exception {
    loop = new ApplyLoop(1, sm, Zxid.ZERO, 1_000, 6, snapshots, taken::add, fatal::complete, new Callbacks(1, Runnable::run));
    loop.start();
    loop.deliver(List.of(txn(1, "abc")));
    loop.deliver(List.of(txn(2, "def")));
    loop.deliver(List.of(txn(3, "g")));
    loop.deliver(List.of(txn(4, "hijklm")));
    loop.deliver(List.of(txn(5, ""))); // applied only after the snapshot the batch before it triggered
    CompletableFuture<Zxid> done = new CompletableFuture<>();
    loop.completeWhenApplied(Zxid.of(1, 5), done);
    await(done);
    assertThat(taken).as("6 payload bytes reached at txn 2, then again at txn 4").containsExactly(
        Zxid.of(1, 2), Zxid.of(1, 4));
  }

  @Test
  void restoreReplacesTheStateAndMovesTheAppliedPoint() throws Exception {
    RecordingStateMachine leaderState = new RecordingStateMachine();
    leaderState.apply(Zxid.of(2, 1), java.nio.ByteBuffer.wrap("x".getBytes(StandardCharsets.UTF_8)));
    snapshots.write(Zxid.of(2, 1), leaderState);
    start(1_000);
    loop.deliver(List.of(txn(1, "a")));
    loop.restore(Zxid.of(2, 1)).get(5, TimeUnit.SECONDS);
    assertThat(sm.applied()).containsExactly("x");
    assertThat(loop.applied()).isEqualTo(Zxid.of(2, 1));
  }

  @Test
  void closeFailsWaitersWithClosedException() {
    start(1_000);
    CompletableFuture<Zxid> never = new CompletableFuture<>();
    loop.completeWhenApplied(Zxid.of(9, 9), never);
    loop.close(new ClosedException("closing"));
    assertThatThrownBy(() -> never.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(ClosedException.class);
    CompletableFuture<Zxid> late = new CompletableFuture<>();
    loop.completeWhenApplied(Zxid.of(9, 10), late);
    assertThat(late).isCompletedExceptionally();
  }

  @Test
  void aThrowingStateMachineIsFatal() throws Exception {
    loop = new ApplyLoop(1, new StateMachine() {
      @Override
      public void apply(Zxid zxid, java.nio.ByteBuffer txn) {
        throw new IllegalStateException("boom");
      }

      @Override
      public void snapshot(java.io.OutputStream out) {}

      @Override
      public void restore(InputStream in) {}
    }, Zxid.ZERO, 100, snapshots, taken::add, fatal::complete, new Callbacks(1, Runnable::run));
    loop.start();
    loop.deliver(List.of(txn(1, "a")));
    assertThat(fatal.get(5, TimeUnit.SECONDS)).hasMessage("boom");
  }

  /** Snapshots kept in memory. */
  static final class MemorySnapshots implements SnapshotWriting {
    private final Map<Zxid, byte[]> stored = new HashMap<>();

    @Override
    public synchronized void write(Zxid at, StateMachine sm) throws IOException {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      sm.snapshot(out);
      stored.put(at, out.toByteArray());
    }

    @Override
    public synchronized InputStream open(Zxid at) throws IOException {
      byte[] b = stored.get(at);
      if (b == null) {
        throw new IOException("no snapshot at " + at);
      }
      return new ByteArrayInputStream(b);
    }
  }
}
