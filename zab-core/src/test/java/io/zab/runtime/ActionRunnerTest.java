package io.zab.runtime;

import static io.zab.runtime.ActionRunnerFixture.txn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zab.Zxid;
import io.zab.fixtures.RecordingStateMachine;
import io.zab.protocol.Action.Append;
import io.zab.protocol.Action.InstallSnapshot;
import io.zab.protocol.Action.SaveAcceptedEpoch;
import io.zab.protocol.Action.SaveCurrentEpoch;
import io.zab.protocol.Action.Truncate;
import io.zab.wire.Message.SnapChunk;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runtime carries out the core's actions in the order and with the durability Action's contract promises. */
class ActionRunnerTest {

  @TempDir
  Path dir;

  @Test
  void S7_theLastSnapshotChunkIsDurableAndTheLogResetAndRestoreComeBeforeWhatFollows() throws Exception {
    RecordingStateMachine leaderState = new RecordingStateMachine();
    leaderState.apply(Zxid.of(2, 7), ByteBuffer.wrap("from-leader".getBytes(StandardCharsets.UTF_8)));
    ByteArrayOutputStream image = new ByteArrayOutputStream();
    image.write(io.zab.wire.SnapshotHeader.encode(null)); // a snapshot's content starts with its header
    leaderState.snapshot(image);
    byte[] bytes = image.toByteArray();
    int half = bytes.length / 2;
    Zxid at = Zxid.of(2, 7);

    try (ActionRunnerFixture f = new ActionRunnerFixture(dir)) {
      f.runner.run(List.of(new Append(List.of(txn(1, 1))),
          new InstallSnapshot(new SnapChunk(at, 0, java.util.Arrays.copyOf(bytes, half), false)),
          new InstallSnapshot(new SnapChunk(at, half, java.util.Arrays.copyOfRange(bytes, half, bytes.length), true))));

      f.awaitApplied(at); // the restore is queued on the apply thread ahead of anything delivered later
      assertThat(f.sm.applied()).containsExactly("from-leader");
      assertThat(f.applyLoop.applied()).isEqualTo(at);
      assertThat(f.snapshots.list()).containsExactly(at);
      // The log now continues right after the snapshot.
      assertThat(f.logWriter.append(List.of(txn(2, 8))).get(5, TimeUnit.SECONDS)).isEqualTo(Zxid.of(2, 8));
    }
  }

  @Test
  void ZOOKEEPER_1154_aTruncateIsDurableBeforeTheNewCurrentEpochIsSaved() throws Exception {
    try (ActionRunnerFixture f = new ActionRunnerFixture(dir)) {
      f.runner.run(List.of(new SaveAcceptedEpoch(1), new Append(List.of(txn(1, 1), txn(1, 2), txn(1, 3)))));
      f.logWriter.submit(log -> log.sync()).get(5, TimeUnit.SECONDS);
      f.disk.hang();
      CompletableFuture<Void> ran = f.runAsync(List.of(new SaveAcceptedEpoch(2), new Truncate(Zxid.of(1, 1)),
          new SaveCurrentEpoch(2)));
      assertThatThrownBy(() -> ran.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
      assertThat(f.epochs.currentEpoch()).as("not before the truncate is fsynced").isZero();

      f.disk.release();
      ran.get(5, TimeUnit.SECONDS);
      assertThat(f.epochs.currentEpoch()).isEqualTo(2);
      assertThat(f.logWriter.submit(log -> log.lastZxid()).get(5, TimeUnit.SECONDS)).isEqualTo(Zxid.of(1, 1));
    }
  }

  @Test
  void anAppendTheLogRefusesIsReportedAsFatalNotIgnored() throws Exception {
    try (ActionRunnerFixture f = new ActionRunnerFixture(dir)) {
      f.runner.run(List.of(new Append(List.of(txn(1, 1)))));
      f.runner.run(List.of(new Append(List.of(txn(1, 3))))); // a gap: the log refuses it
      f.logWriter.submit(log -> log.lastZxid()).get(5, TimeUnit.SECONDS); // both appends were handled by now

      assertThat(f.refused).singleElement().isInstanceOf(IllegalArgumentException.class)
          .extracting(Throwable::getMessage).asString().contains("0x1:0x3");
    }
  }
}
