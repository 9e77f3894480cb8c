package io.zab.runtime;

import static io.zab.runtime.ActionRunnerFixture.txn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zab.ZabNode;
import io.zab.Zxid;
import io.zab.fixtures.LocalCluster;
import io.zab.fixtures.RecordingStateMachine;
import io.zab.protocol.Action.Append;
import io.zab.protocol.Action.DiscardSnapshot;
import io.zab.protocol.Action.InstallSnapshot;
import io.zab.protocol.Action.SaveAcceptedEpoch;
import io.zab.protocol.Action.SaveCurrentEpoch;
import io.zab.storage.TxnLog;
import io.zab.storage.TxnLogOptions;
import io.zab.wire.Message.SnapChunk;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime half of the ZooKeeper regression tests (the core half is
 * {@code io.zab.protocol.ZooKeeperRegressionTest}): the same orders carried out on real files, with a disk
 * whose fsync can be held. Each test fails if the order or check it protects is removed.
 */
class ZooKeeperRuntimeRegressionTest {
  private static final long HELD_MILLIS = 200;

  @TempDir
  Path dir;

  private ActionRunnerFixture f;

  @BeforeEach
  void setUp() throws Exception {
    f = new ActionRunnerFixture(dir);
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  private static void assertStillPending(CompletableFuture<?> future) {
    assertThatThrownBy(() -> future.get(HELD_MILLIS, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
  }

  /** The durability callback runs right after the futures complete, on the writer thread. */
  private void awaitReported(Zxid z) {
    LocalCluster.awaitCondition(LocalCluster.WAIT, () -> f.durable.contains(z), () -> z + " reported durable");
  }

  /** Protects: SaveCurrentEpoch waits until every log write queued before it is fsynced. */
  @Test
  void ZOOKEEPER_4643_currentEpochIsWrittenOnlyAfterTheQueuedTxnsAreDurable() throws Exception {
    f.disk.hang();
    CompletableFuture<Void> ran = f.runAsync(List.of(new SaveAcceptedEpoch(1),
        new Append(List.of(txn(1, 1), txn(1, 2))), new SaveCurrentEpoch(1)));
    assertStillPending(ran);
    assertThat(f.epochs.acceptedEpoch()).isEqualTo(1);
    assertThat(f.epochs.currentEpoch()).as("not before the txns are fsynced").isZero();
    assertThat(f.durable).isEmpty();

    f.disk.release();
    ran.get(5, TimeUnit.SECONDS);
    assertThat(f.epochs.currentEpoch()).isEqualTo(1);
    awaitReported(Zxid.of(1, 2));
  }

  /** Protects: the log reports a txn durable (which lets the core ack it) only after its fsync returned. */
  @Test
  void ZOOKEEPER_4646_4685_aTxnIsReportedDurableOnlyAfterItsFsync() throws Exception {
    f.disk.hang();
    CompletableFuture<Zxid> appended = f.logWriter.append(List.of(txn(1, 1)));
    assertStillPending(appended);
    assertThat(f.durable).as("no Persisted event while the fsync hangs").isEmpty();

    f.disk.release();
    assertThat(appended.get(5, TimeUnit.SECONDS)).isEqualTo(Zxid.of(1, 1));
    awaitReported(Zxid.of(1, 1));
  }

  /** Protects: close() drains and stops the log writer before returning; nothing is written after it. */
  @Test
  void ZOOKEEPER_4712_closeStopsTheLogWriterBeforeReturning() throws Exception {
    f.disk.hang();
    CompletableFuture<Zxid> queued = f.logWriter.append(List.of(txn(1, 1), txn(1, 2)));
    CompletableFuture<Void> closed = CompletableFuture.runAsync(f.logWriter::close);
    assertStillPending(closed);

    f.disk.release();
    closed.get(5, TimeUnit.SECONDS);
    assertThat(queued).as("drained before close returned").isCompletedWithValue(Zxid.of(1, 2));
    assertThatThrownBy(() -> f.logWriter.append(List.of(txn(1, 3))).get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class).cause().isInstanceOf(IllegalStateException.class);
    f.logWriter.close(); // idempotent
    // Reloading state now is safe: the writer is gone and left exactly what it acknowledged.
    TxnLog reopened = TxnLog.open(dir.resolve("log"), TxnLogOptions.defaults());
    try {
      assertThat(reopened.lastZxid()).isEqualTo(Zxid.of(1, 2));
    } finally {
      reopened.close();
    }
  }

  /**
   * Protects: a node's close() returns only once its threads have ended (the log writer drained, the apply
   * thread finished its txn), so restarting on the same data directory at once reloads a quiet disk.
   */
  @Test
  void ZOOKEEPER_4712_closingANodeEndsItsThreadsBeforeItsDataIsReloaded() throws Exception {
    Map<Long, HeldStateMachine> machines = new TreeMap<>();
    try (LocalCluster cluster = new LocalCluster(dir.resolve("cluster"), 3)) {
      for (long id : cluster.ids()) {
        HeldStateMachine sm = new HeldStateMachine();
        machines.put(id, sm);
        cluster.startWith(id, b -> b.stateMachine(sm));
      }
      ZabNode leader = cluster.awaitLeader();
      long id = leader.serverId();
      leader.submit(LocalCluster.bytes("applied")).get(LocalCluster.WAIT.toSeconds(), TimeUnit.SECONDS);
      HeldStateMachine held = machines.get(id);
      held.holdNextApply();
      leader.submit(LocalCluster.bytes("held in apply"));
      assertThat(held.entered.await(LocalCluster.WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

      CompletableFuture<Void> closed = CompletableFuture.runAsync(() -> cluster.stop(id));
      try {
        assertStillPending(closed); // waits for the apply thread to finish its txn
      } finally {
        held.release();
      }
      closed.get(LocalCluster.WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(liveThreadsNamed("zab-protocol-" + id, "zab-apply-" + id)).as("still running after close()").isEmpty();

      cluster.start(id); // reload its state from the same directory right away
      cluster.awaitApplied(List.of(id), List.of("applied", "held in apply"));
    }
  }

  private static List<String> liveThreadsNamed(String... names) {
    Set<String> wanted = Set.of(names);
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
        .filter(wanted::contains).toList();
  }

  /** Protects: an interrupted snapshot transfer is discarded whole; its remains never complete a snapshot. */
  @Test
  void ZOOKEEPER_3642_aDiscardedSnapshotTransferLeavesNothingBehind() throws Exception {
    Zxid at = Zxid.of(2, 7);
    byte[] image = snapshotOf(at, "from-leader");
    int half = image.length / 2;
    SnapChunk first = new SnapChunk(at, 0, Arrays.copyOf(image, half), false);
    SnapChunk rest = new SnapChunk(at, half, Arrays.copyOfRange(image, half, image.length), true);
    f.runner.run(List.of(new InstallSnapshot(first), new DiscardSnapshot()));
    assertThat(f.snapshots.list()).isEmpty();

    // The rest of the interrupted transfer must not be glued onto what came before the interruption.
    assertThatThrownBy(() -> f.runner.run(List.of(new InstallSnapshot(rest))))
        .isInstanceOf(java.io.IOException.class).hasMessageContaining("expected a first chunk");
    assertThat(f.snapshots.list()).isEmpty();
    assertThat(f.sm.restores()).isZero();

    f.runner.run(List.of(new InstallSnapshot(first), new InstallSnapshot(rest))); // a fresh transfer works
    assertThat(f.snapshots.list()).containsExactly(at);
    f.awaitApplied(at);
    assertThat(f.sm.applied()).containsExactly("from-leader");
  }

  private static byte[] snapshotOf(Zxid z, String payload) throws Exception {
    RecordingStateMachine leaderState = new RecordingStateMachine();
    leaderState.apply(z, ByteBuffer.wrap(payload.getBytes(StandardCharsets.UTF_8)));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(io.zab.wire.SnapshotHeader.encode(null)); // a snapshot's content starts with its header
    leaderState.snapshot(out);
    return out.toByteArray();
  }
}
