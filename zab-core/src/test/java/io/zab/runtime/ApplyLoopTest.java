package io.zab.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zab.ClosedException;
import io.zab.StateMachine;
import io.zab.Zxid;
import io.zab.ClusterConfiguration;
import io.zab.Member;
import io.zab.wire.Membership;
import io.zab.wire.MembershipCodec;
import io.zab.wire.SnapshotHeader;
import io.zab.fixtures.CapturedLog;
import io.zab.fixtures.LocalCluster;
import io.zab.fixtures.RecordingStateMachine;
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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.nio.file.Path;
import java.time.Duration;

class ApplyLoopTest {
  private final RecordingStateMachine sm = new RecordingStateMachine();
  private final MemorySnapshots snapshots = new MemorySnapshots();
  private final BlockingQueue<Zxid> taken = new LinkedBlockingQueue<>();
  private final CompletableFuture<Throwable> fatal = new CompletableFuture<>();
  @TempDir
  Path dir;
  private SnapshotTaker taker;
  private ApplyLoop loop;

  @AfterEach
  void close() {
    snapshots.releaseWrites(); // a test that failed while holding them must not hang the close
    if (loop != null) {
      loop.close(new ClosedException("test over"));
    }
    if (taker != null) {
      taker.close();
    }
  }

  private ApplyLoop start(int snapshotEvery) {
    return start(sm, snapshotEvery, ApplyLoop.SNAPSHOT_EVERY_BYTES);
  }

  private ApplyLoop start(StateMachine machine, int snapshotEveryTxns, long snapshotEveryBytes) {
    taker = new SnapshotTaker(1, snapshots, dir, taken::add, (what, e) -> fatal.complete(e), System::nanoTime);
    loop = new ApplyLoop(1, machine, Zxid.ZERO, null, snapshotEveryTxns, snapshotEveryBytes, snapshots, taker,
        fatal::complete, new Callbacks(1, Runnable::run));
    loop.start();
    return loop;
  }

  private Zxid nextSnapshot() throws InterruptedException {
    return taken.poll(5, TimeUnit.SECONDS);
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
    assertThat(nextSnapshot()).isEqualTo(Zxid.of(1, 2));
    CompletableFuture<Zxid> done = new CompletableFuture<>();
    loop.completeWhenApplied(Zxid.of(1, 3), done);
    await(done);
    assertThat(taken).as("none after the third txn").isEmpty();
    RecordingStateMachine copy = new RecordingStateMachine();
    copy.restore(stateAt(Zxid.of(1, 2)));
    assertThat(copy.applied()).containsExactly("a", "b");
  }

  @Test
  void takesASnapshotAfterEnoughBytesHoweverFewTxns() throws Exception {
    start(sm, 1_000, 6);
    loop.deliver(List.of(txn(1, "abc")));
    loop.deliver(List.of(txn(2, "def")));
    assertThat(nextSnapshot()).as("6 payload bytes reached at txn 2").isEqualTo(Zxid.of(1, 2));
    loop.deliver(List.of(txn(3, "g")));
    loop.deliver(List.of(txn(4, "hijklm")));
    assertThat(nextSnapshot()).as("then again at txn 4").isEqualTo(Zxid.of(1, 4));
    loop.deliver(List.of(txn(5, "")));
    CompletableFuture<Zxid> done = new CompletableFuture<>();
    loop.completeWhenApplied(Zxid.of(1, 5), done);
    await(done);
    assertThat(taken).isEmpty();
  }

  @Test
  void applyAndCompletionsGoOnWhileASnapshotIsWrittenToASlowDisk() throws Exception {
    snapshots.holdWrites();
    start(2);
    for (int i = 1; i <= 10; i++) {
      loop.deliver(List.of(txn(i, "t" + i)));
    }
    CompletableFuture<Zxid> tenth = new CompletableFuture<>();
    loop.completeWhenApplied(Zxid.of(1, 10), tenth);
    assertThat(await(tenth)).as("applied while the snapshot at 2 is still being written").isEqualTo(Zxid.of(1, 10));
    assertThat(taken).isEmpty();
    LocalCluster.awaitCondition(Duration.ofSeconds(5), () -> snapshots.attempts.get() >= 1, () -> "the write to start");
    assertThat(snapshots.attempts).as("one snapshot at a time").hasValue(1);

    snapshots.releaseWrites();
    assertThat(nextSnapshot()).isEqualTo(Zxid.of(1, 2));
    RecordingStateMachine copy = new RecordingStateMachine();
    copy.restore(stateAt(Zxid.of(1, 2)));
    assertThat(copy.applied()).as("the state captured at 2, not what was applied while writing")
        .containsExactly("t1", "t2");
  }

  @Test
  void aSnapshotThatKeepsFailingIsRetriedAfterABackoffNotAfterEveryBatch() throws Exception {
    snapshots.failWrites("No space left on device");
    start(1);
    try (CapturedLog warnings = CapturedLog.start()) {
      for (int i = 1; i <= 300; i++) {
        loop.deliver(List.of(txn(i, "t" + i)));
      }
      CompletableFuture<Zxid> last = new CompletableFuture<>();
      loop.completeWhenApplied(Zxid.of(1, 300), last);
      await(last);
      LocalCluster.awaitCondition(Duration.ofSeconds(5), () -> !warnings.lines("No space left on device").isEmpty(),
          () -> "the failure to be logged");
      // A second try needs SnapshotTaker.FIRST_BACKOFF_NANOS (1 s) to pass; a loaded machine may get there.
      assertThat(snapshots.attempts.get()).as("attempts for 300 batches").isBetween(1, 3);
      assertThat(warnings.lines("No space left on device")).as("WARN lines").hasSize(1);
    }
    assertThat(taken).isEmpty();
    assertThat(fatal).as("a failed snapshot is not fatal").isNotDone();
  }

  @Test
  void restoreReplacesTheStateAndMovesTheAppliedPoint() throws Exception {
    RecordingStateMachine leaderState = new RecordingStateMachine();
    leaderState.apply(Zxid.of(2, 1), java.nio.ByteBuffer.wrap("x".getBytes(StandardCharsets.UTF_8)));
    snapshots.write(Zxid.of(2, 1), null, leaderState::snapshot);
    start(1_000);
    loop.deliver(List.of(txn(1, "a")));
    loop.restore(Zxid.of(2, 1)).get(5, TimeUnit.SECONDS);
    assertThat(sm.applied()).containsExactly("x");
    assertThat(loop.applied()).isEqualTo(Zxid.of(2, 1));
  }

  /**
   * Issue 11: CONFIG txns are zab's, never the state machine's; they still move the applied point, and a snapshot
   * records the membership in force where it was taken, also after a restore from a snapshot that recorded one.
   */
  @Test
  void configTxnsNeverReachTheStateMachineAndSnapshotsRecordTheMembership() throws Exception {
    Membership first = Membership.stable(ClusterConfiguration.of(List.of(Member.local(1), Member.local(2))));
    Membership second = Membership.joint(first.current(), first.current().withVoter(Member.local(3)));
    start(3);
    loop.deliver(List.of(txn(1, "a"), new Txn(Zxid.of(1, 2), Txn.Kind.CONFIG, MembershipCodec.encode(first)),
        txn(3, "b")));
    assertThat(nextSnapshot()).isEqualTo(Zxid.of(1, 3));
    assertThat(sm.applied()).containsExactly("a", "b");
    assertThat(SnapshotHeader.read(snapshots.open(Zxid.of(1, 3)))).isEqualTo(first);

    loop.deliver(List.of(new Txn(Zxid.of(1, 4), Txn.Kind.CONFIG, MembershipCodec.encode(second)), txn(5, "c"),
        txn(6, "d")));
    assertThat(nextSnapshot()).isEqualTo(Zxid.of(1, 6));
    assertThat(SnapshotHeader.read(snapshots.open(Zxid.of(1, 6)))).isEqualTo(second);
    assertThat(await(whenApplied(Zxid.of(1, 6)))).isEqualTo(Zxid.of(1, 6));

    loop.restore(Zxid.of(1, 3)).get(5, TimeUnit.SECONDS); // the membership comes back with the state
    loop.deliver(List.of(txn(7, "e"), txn(8, "f"), txn(9, "g")));
    assertThat(nextSnapshot()).isEqualTo(Zxid.of(1, 9));
    assertThat(SnapshotHeader.read(snapshots.open(Zxid.of(1, 9)))).isEqualTo(first);
  }

  /** The state machine's bytes of the stored snapshot at {@code z} (after its header). */
  private InputStream stateAt(Zxid z) throws IOException {
    InputStream in = snapshots.open(z);
    SnapshotHeader.read(in);
    return in;
  }

  private CompletableFuture<Zxid> whenApplied(Zxid z) {
    CompletableFuture<Zxid> f = new CompletableFuture<>();
    loop.completeWhenApplied(z, f);
    return f;
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
    start(new StateMachine() {
      @Override
      public void apply(Zxid zxid, java.nio.ByteBuffer txn) {
        throw new IllegalStateException("boom");
      }

      @Override
      public void snapshot(java.io.OutputStream out) {}

      @Override
      public void restore(InputStream in) {}
    }, 100, ApplyLoop.SNAPSHOT_EVERY_BYTES);
    loop.deliver(List.of(txn(1, "a")));
    assertThat(fatal.get(5, TimeUnit.SECONDS)).hasMessage("boom");
  }

  /** Snapshots kept in memory. */
  static final class MemorySnapshots implements SnapshotWriting {
    private final Map<Zxid, byte[]> stored = new HashMap<>();
    /** Writes wait for this (a slow disk) once {@link #holdWrites()} was called. */
    private volatile CountDownLatch writesReleased = new CountDownLatch(0);
    /** Writes fail with this message when set (a full disk). */
    private volatile String failure;
    final AtomicInteger attempts = new AtomicInteger();

    void holdWrites() {
      writesReleased = new CountDownLatch(1);
    }

    void releaseWrites() {
      writesReleased.countDown();
    }

    void failWrites(String message) {
      failure = message;
    }

    @Override
    public void write(Zxid at, Membership membership, StateMachine.Snapshot snapshot) throws IOException {
      attempts.incrementAndGet();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(SnapshotHeader.encode(membership));
      snapshot.writeTo(out);
      try {
        writesReleased.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
      if (failure != null) {
        throw new IOException(failure);
      }
      synchronized (this) {
        stored.put(at, out.toByteArray());
      }
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
