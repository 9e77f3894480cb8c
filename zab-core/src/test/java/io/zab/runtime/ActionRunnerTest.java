package io.zab.runtime;

import static io.zab.runtime.ActionRunnerFixture.txn;
import static org.assertj.core.api.Assertions.assertThat;

import io.zab.Zxid;
import io.zab.protocol.Action;
import io.zab.protocol.Action.Append;
import io.zab.protocol.Action.InstallSnapshot;
import io.zab.wire.Message.SnapChunk;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The action contract of {@link Action}, carried out against real storage. The durability orders
 * (ZOOKEEPER-4643...) are in {@link ZooKeeperRuntimeRegressionTest}.
 */
class ActionRunnerTest {
  @TempDir
  Path dir;

  @Test
  void S7_theLastSnapshotChunkResetsTheLogAndRestoresTheStateMachineBeforeTheNextAction() throws Exception {
    RecordingStateMachine leaderState = new RecordingStateMachine();
    leaderState.apply(Zxid.of(2, 7), ByteBuffer.wrap("from-leader".getBytes(StandardCharsets.UTF_8)));
    ByteArrayOutputStream image = new ByteArrayOutputStream();
    leaderState.snapshot(image);
    byte[] bytes = image.toByteArray();
    int half = bytes.length / 2;
    Zxid at = Zxid.of(2, 7);

    try (ActionRunnerFixture f = new ActionRunnerFixture(dir)) {
      f.runner.run(List.of(new Append(List.of(txn(1, 1))),
          new InstallSnapshot(new SnapChunk(at, 0, java.util.Arrays.copyOf(bytes, half), false)),
          new InstallSnapshot(new SnapChunk(at, half, java.util.Arrays.copyOfRange(bytes, half, bytes.length), true))));

      assertThat(f.sm.applied()).containsExactly("from-leader");
      assertThat(f.applyLoop.applied()).isEqualTo(at);
      assertThat(f.snapshots.list()).containsExactly(at);
      // The log now continues right after the snapshot.
      assertThat(f.logWriter.append(List.of(txn(2, 8))).get(5, TimeUnit.SECONDS)).isEqualTo(Zxid.of(2, 8));
    }
  }
}
