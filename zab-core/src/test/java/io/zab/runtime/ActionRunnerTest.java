package io.zab.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zab.ClosedException;
import io.zab.Member;
import io.zab.Zxid;
import io.zab.protocol.Action;
import io.zab.protocol.Action.Append;
import io.zab.protocol.Action.InstallSnapshot;
import io.zab.protocol.Action.SaveAcceptedEpoch;
import io.zab.protocol.Action.SaveCurrentEpoch;
import io.zab.storage.EpochStore;
import io.zab.storage.LogWriter;
import io.zab.storage.SnapshotStore;
import io.zab.storage.TxnLog;
import io.zab.storage.TxnLogOptions;
import io.zab.transport.LocalNetwork;
import io.zab.transport.Transport;
import io.zab.wire.Message.SnapChunk;
import io.zab.wire.Txn;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The action contract of {@link Action}, carried out against real storage. */
class ActionRunnerTest {
  @TempDir
  Path dir;

  private final GatedSyncer disk = new GatedSyncer();
  private final RecordingStateMachine sm = new RecordingStateMachine();
  private final List<Zxid> durable = new CopyOnWriteArrayList<>();
  private EpochStore epochs;
  private SnapshotStore snapshots;
  private LogWriter logWriter;
  private ApplyLoop applyLoop;
  private Transport transport;
  private ActionRunner runner;

  @BeforeEach
  void setUp() throws IOException {
    epochs = EpochStore.open(dir.resolve("epochs"));
    snapshots = SnapshotStore.open(dir.resolve("snapshots"));
    TxnLog log = TxnLog.open(dir.resolve("log"), TxnLogOptions.defaults().withSyncer(disk));
    logWriter = new LogWriter(log, 64, durable::add, e -> {});
    LocalSnapshots local = new LocalSnapshots(snapshots);
    applyLoop = new ApplyLoop(1, sm, Zxid.ZERO, 1_000, local, z -> {}, e -> {});
    applyLoop.start();
    transport = LocalNetwork.create().transport(1, List.of(Member.local(1), Member.local(2)));
    runner = new ActionRunner(1, transport, logWriter, epochs, applyLoop, new Requests(100), local,
        new RoleReporter(1), 1 << 20, () -> false);
  }

  @AfterEach
  void tearDown() {
    disk.release();
    logWriter.close();
    applyLoop.close(new ClosedException("test over"));
    transport.close();
  }

  private CompletableFuture<Void> runAsync(List<Action> actions) {
    return CompletableFuture.runAsync(() -> {
      try {
        runner.run(actions);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  private static Txn txn(long epoch, long counter) {
    return new Txn(Zxid.of(epoch, counter), ("t" + counter).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void ZOOKEEPER_4643_currentEpochIsSavedOnlyAfterTheLoggedTxnsAreDurable() throws Exception {
    disk.hang();
    CompletableFuture<Void> ran = runAsync(List.of(new SaveAcceptedEpoch(1),
        new Append(List.of(txn(1, 1), txn(1, 2))), new SaveCurrentEpoch(1)));
    assertThatThrownBy(() -> ran.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
    assertThat(epochs.acceptedEpoch()).isEqualTo(1);
    assertThat(epochs.currentEpoch()).as("not before the txns are fsynced").isZero();
    assertThat(durable).isEmpty();

    disk.release();
    ran.get(5, TimeUnit.SECONDS);
    assertThat(durable).contains(Zxid.of(1, 2));
    assertThat(epochs.currentEpoch()).isEqualTo(1);
  }

  @Test
  void S7_theLastSnapshotChunkResetsTheLogAndRestoresTheStateMachineBeforeTheNextAction() throws Exception {
    RecordingStateMachine leaderState = new RecordingStateMachine();
    leaderState.apply(Zxid.of(2, 7), ByteBuffer.wrap("from-leader".getBytes(StandardCharsets.UTF_8)));
    ByteArrayOutputStream image = new ByteArrayOutputStream();
    leaderState.snapshot(image);
    byte[] bytes = image.toByteArray();
    int half = bytes.length / 2;
    Zxid at = Zxid.of(2, 7);

    runner.run(List.of(new Append(List.of(txn(1, 1))),
        new InstallSnapshot(new SnapChunk(at, 0, java.util.Arrays.copyOf(bytes, half), false)),
        new InstallSnapshot(new SnapChunk(at, half, java.util.Arrays.copyOfRange(bytes, half, bytes.length), true))));

    assertThat(sm.applied()).containsExactly("from-leader");
    assertThat(applyLoop.applied()).isEqualTo(at);
    assertThat(snapshots.list()).containsExactly(at);
    // The log now continues right after the snapshot.
    assertThat(logWriter.append(List.of(txn(2, 8))).get(5, TimeUnit.SECONDS)).isEqualTo(Zxid.of(2, 8));
  }
}
