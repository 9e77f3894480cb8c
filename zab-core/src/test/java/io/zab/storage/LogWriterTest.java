package io.zab.storage;

import static io.zab.storage.LogFiles.readAll;
import static io.zab.storage.LogFiles.txn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zab.Zxid;
import io.zab.fixtures.LocalCluster;
import io.zab.wire.Txn;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogWriterTest {
  @TempDir Path dir;
  final CountingSyncer syncer = new CountingSyncer();
  final List<Zxid> durableReports = new CopyOnWriteArrayList<>();
  final List<Throwable> failures = new CopyOnWriteArrayList<>();

  LogWriter writer(TxnLogOptions options) throws IOException {
    return new LogWriter(TxnLog.open(dir, options.withSyncer(syncer)), 64, durableReports::add, failures::add);
  }

  @Test
  void manyProducersShareFsyncsAndEveryFutureIsCoveredByOne() throws Exception {
    int threads = 16;
    int perThread = 50;
    List<CompletableFuture<Zxid>> futures = new CopyOnWriteArrayList<>();
    Object order = new Object();
    long[] next = {1};
    int fsyncsBefore;
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    // the first fsync waits until every producer has queued its first append, so those share at most two
    // fsyncs: at most 2 + (appends - threads) in all
    CountDownLatch allQueuedOnce = new CountDownLatch(threads);
    try (LogWriter w = writer(TxnLogOptions.defaults())) { // no roll, so every fsync is a group commit
      fsyncsBefore = syncer.dataSyncs.get();
      syncer.gate.set(allQueuedOnce);
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> producers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Thread p = new Thread(() -> {
          try {
            start.await();
            for (int i = 0; i < perThread; i++) {
              CompletableFuture<Zxid> f;
              Zxid z;
              synchronized (order) { // zxids must reach the queue in order
                z = Zxid.of(1, next[0]++);
                f = w.appendAndAwait(new Txn(z, new byte[100]));
              }
              if (i == 0) {
                allQueuedOnce.countDown();
              }
              futures.add(f);
              Zxid durable = f.get(10, TimeUnit.SECONDS);
              assertThat(durable).isGreaterThanOrEqualTo(z);
            }
          } catch (Exception | AssertionError e) {
            errors.add(e);
          }
        });
        p.start();
        producers.add(p);
      }
      start.countDown();
      for (Thread p : producers) {
        p.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(p.isAlive()).isFalse();
      }
    }
    assertThat(errors).isEmpty();
    int appends = threads * perThread;
    assertThat(futures).hasSize(appends).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
    int fsyncs = syncer.dataSyncs.get() - fsyncsBefore;
    assertThat(fsyncs).as("group commit: fewer fsyncs than appends").isLessThanOrEqualTo(appends - threads + 2);
    // every reported durable zxid increases, and the last covers everything
    assertThat(durableReports).isSorted();
    assertThat(durableReports.get(durableReports.size() - 1)).isEqualTo(Zxid.of(1, appends));
    try (TxnLog log = TxnLog.open(dir, TxnLogOptions.defaults())) {
      assertThat(readAll(log, Zxid.ZERO)).hasSize(appends);
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void aBatchWithABadZxidIsRejectedWholeAndCallerBugsDoNotFailTheWriter() throws Exception {
    try (LogWriter w = writer(TxnLogOptions.defaults())) {
      CompletableFuture<Zxid> bad = w.append(List.of(txn(1, 1), txn(1, 2), txn(1, 4)));
      assertThatThrownBy(() -> bad.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalArgumentException.class);
      // nothing of the bad batch was appended: 0x1:0x1 is still the next zxid
      assertThat(w.appendAndAwait(txn(1, 1)).get(10, TimeUnit.SECONDS)).isEqualTo(Zxid.of(1, 1));
      CompletableFuture<Zxid> gap = w.appendAndAwait(txn(1, 5));
      assertThatThrownBy(() -> gap.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalArgumentException.class);
      assertThat(w.resetTo(Zxid.of(2, 5)).get(10, TimeUnit.SECONDS)).isEqualTo(Zxid.of(2, 5));
      CompletableFuture<Zxid> beforeBase = w.truncateAfter(Zxid.of(1, 1));
      assertThatThrownBy(() -> beforeBase.get(10, TimeUnit.SECONDS))
          .hasCauseInstanceOf(IllegalArgumentException.class);
      assertThat(w.appendAndAwait(txn(2, 6)).get(10, TimeUnit.SECONDS)).isEqualTo(Zxid.of(2, 6));
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void tasksRunOnTheWriterThreadInQueueOrder() throws Exception {
    try (LogWriter w = writer(TxnLogOptions.defaults().withSegmentBytes(200))) {
      List<Txn> txns = new ArrayList<>();
      for (int c = 1; c <= 30; c++) {
        txns.add(txn(1, c));
      }
      w.append(txns);
      // queued after the append, so the reader sees all of it
      try (LogReader r = w.submit(log -> log.readAfter(Zxid.of(1, 10))).get(10, TimeUnit.SECONDS)) {
        List<Txn> read = new ArrayList<>();
        r.forEachRemaining(read::add);
        assertThat(read).isEqualTo(txns.subList(10, 30));
      }
      Zxid base = w.submit(log -> {
        log.deleteSegmentsBefore(Zxid.of(1, 20));
        return log.baseZxid();
      }).get(10, TimeUnit.SECONDS);
      assertThat(base).isGreaterThan(Zxid.ZERO).isLessThanOrEqualTo(Zxid.of(1, 20));
      CompletableFuture<LogReader> tooOld = w.submit(log -> log.readAfter(Zxid.ZERO));
      assertThatThrownBy(() -> tooOld.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalArgumentException.class);
      assertThat(w.appendAndAwait(txn(1, 31)).get(10, TimeUnit.SECONDS)).isEqualTo(Zxid.of(1, 31));
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void truncateAndResetRunInQueueOrder() throws Exception {
    try (LogWriter w = writer(TxnLogOptions.defaults())) {
      CompletableFuture<Zxid> a = w.append(List.of(txn(1, 1), txn(1, 2), txn(1, 3)));
      CompletableFuture<Zxid> t = w.truncateAfter(Zxid.of(1, 1));
      CompletableFuture<Zxid> b = w.appendAndAwait(txn(2, 1));
      assertThat(a.get(10, TimeUnit.SECONDS)).isEqualTo(Zxid.of(1, 3));
      assertThat(t.get(10, TimeUnit.SECONDS)).isEqualTo(Zxid.of(1, 1));
      assertThat(b.get(10, TimeUnit.SECONDS)).isEqualTo(Zxid.of(2, 1));
      assertThat(w.resetTo(Zxid.of(3, 10)).get(10, TimeUnit.SECONDS)).isEqualTo(Zxid.of(3, 10));
      assertThat(w.appendAndAwait(txn(3, 11)).get(10, TimeUnit.SECONDS)).isEqualTo(Zxid.of(3, 11));
    }
    try (TxnLog log = TxnLog.open(dir, TxnLogOptions.defaults())) {
      assertThat(log.baseZxid()).isEqualTo(Zxid.of(3, 10));
      assertThat(readAll(log, log.baseZxid())).containsExactly(txn(3, 11));
    }
  }

  @Test
  void fsyncFailureCallsTheFailureCallbackOnceAndRefusesLaterCommands() throws Exception {
    IOException eio = new IOException("EIO from fdatasync");
    CountDownLatch failed = new CountDownLatch(1);
    AtomicReference<Throwable> seen = new AtomicReference<>();
    LogWriter w = new LogWriter(TxnLog.open(dir, TxnLogOptions.defaults().withSyncer(syncer)), 64,
        durableReports::add, e -> {
          failures.add(e);
          seen.set(e);
          failed.countDown();
        });
    try {
      assertThat(w.appendAndAwait(txn(1, 1)).get(10, TimeUnit.SECONDS)).isEqualTo(Zxid.of(1, 1));
      syncer.failNext.set(eio);
      CompletableFuture<Zxid> f = w.appendAndAwait(txn(1, 2));
      ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
          () -> f.get(10, TimeUnit.SECONDS));
      assertThat(e.getCause()).isInstanceOf(LogFailedException.class).hasCause(eio);
      assertThat(failed.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(seen.get()).isInstanceOf(LogFailedException.class).hasCause(eio);

      for (CompletableFuture<Zxid> later : List.of(w.appendAndAwait(txn(1, 2)), w.truncateAfter(Zxid.ZERO),
          w.resetTo(Zxid.of(2, 0)))) {
        ExecutionException le = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
            () -> later.get(10, TimeUnit.SECONDS));
        assertThat(le.getCause()).isInstanceOf(LogFailedException.class).hasRootCauseMessage("EIO from fdatasync");
      }
    } finally {
      w.close();
      w.close(); // idempotent
    }
    assertThat(failures).hasSize(1);
    assertThat(durableReports).containsExactly(Zxid.of(1, 1));
  }

  @Test
  void closeFinishesQueuedAppendsAndLaterOnesAreRefused() throws Exception {
    LogWriter w = writer(TxnLogOptions.defaults());
    List<CompletableFuture<Zxid>> fs = new ArrayList<>();
    for (int c = 1; c <= 20; c++) {
      fs.add(w.appendAndAwait(txn(1, c)));
    }
    w.close();
    for (int i = 0; i < fs.size(); i++) {
      Zxid own = Zxid.of(1, i + 1);
      assertThat(fs.get(i)).as("future of %s", own).isCompletedWithValueMatching(z -> !z.isBefore(own));
    }
    assertThatThrownBy(() -> w.appendAndAwait(txn(1, 21)).get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(IllegalStateException.class);
    try (TxnLog log = TxnLog.open(dir, TxnLogOptions.defaults())) {
      assertThat(log.lastZxid()).isEqualTo(Zxid.of(1, 20));
    }
  }

  @Test
  void durabilityIsReportedOnlyAfterTheFsyncReturns() throws Exception {
    try (LogWriter w = writer(TxnLogOptions.defaults())) {
      int fsyncsBefore = syncer.dataSyncs.get();
      CountDownLatch gate = new CountDownLatch(1);
      syncer.gate.set(gate);
      CompletableFuture<Zxid> f = w.append(List.of(txn(1, 1)));
      // The writer took the gate: it is inside the fsync of this append.
      io.zab.fixtures.LocalCluster.awaitCondition(java.time.Duration.ofSeconds(20), () -> syncer.gate.get() == null,
          () -> "the writer to reach the fsync");
      assertThat(f).isNotDone();
      assertThat(durableReports).isEmpty();

      gate.countDown();
      assertThat(f.get(5, TimeUnit.SECONDS)).isEqualTo(Zxid.of(1, 1));
      // The writer completes the batch's futures first, then reports durability: wait for the report.
      io.zab.fixtures.LocalCluster.awaitCondition(java.time.Duration.ofSeconds(20), () -> !durableReports.isEmpty(),
          () -> "the durability report after the fsync");
      assertThat(durableReports).containsExactly(Zxid.of(1, 1));
      assertThat(syncer.dataSyncs.get()).isEqualTo(fsyncsBefore + 1);
    }
  }
}
