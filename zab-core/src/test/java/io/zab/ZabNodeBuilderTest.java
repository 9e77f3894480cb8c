package io.zab;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zab.transport.LocalNetwork;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZabNodeBuilderTest {
  @TempDir
  Path dir;

  private static final StateMachine NOOP = new StateMachine() {
    @Override
    public void apply(Zxid zxid, ByteBuffer txn) {}

    @Override
    public void snapshot(OutputStream out) {}

    @Override
    public void restore(InputStream in) {}
  };

  private ZabNode.Builder valid() {
    return ZabNode.builder().serverId(1).members(List.of(Member.local(1), Member.local(2), Member.local(3)))
        .dataDir(dir.resolve("data")).transport(LocalNetwork.create()::transport).stateMachine(NOOP);
  }

  @Test
  void aValidConfigBuilds() {
    valid().build().close();
  }

  @Test
  void serverIdMustBeAMember() {
    assertThatThrownBy(() -> valid().serverId(7).build()).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("serverId 7 is not among the members");
  }

  @Test
  void duplicateIdsAreRefused() {
    assertThatThrownBy(() -> valid().members(List.of(Member.local(1), new Member(1, "h", 1))).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("server id 1 twice");
  }

  @Test
  void missingPiecesAreNamed() {
    assertThatThrownBy(() -> valid().serverId(0).build()).hasMessageContaining("serverId");
    assertThatThrownBy(() -> valid().members(List.of()).build()).hasMessageContaining("members");
    assertThatThrownBy(() -> valid().transport(null).build()).hasMessageContaining("transport must be set");
    assertThatThrownBy(() -> valid().stateMachine(null).build()).hasMessageContaining("stateMachine must be set");
    assertThatThrownBy(() -> valid().dataDir(null).build()).hasMessageContaining("dataDir must be set");
    assertThatThrownBy(() -> valid().tick(Duration.ZERO).build()).hasMessageContaining("tick must be");
    assertThatThrownBy(() -> valid().tick(Duration.ofNanos(1_500_000)).build())
        .hasMessageContaining("tick must be whole milliseconds");
    assertThatThrownBy(() -> valid().timeouts(Timeouts.defaults().withSyncLimit(Duration.ofMillis(270))
        .withPingInterval(Duration.ofMillis(260))).build()).hasMessageContaining("round to 6 and 6 ticks");
    assertThatThrownBy(() -> valid().maxTxnBytes(0).build()).hasMessageContaining("maxTxnBytes");
    assertThatThrownBy(() -> valid().maxOutstanding(0).build()).hasMessageContaining("maxOutstanding");
    assertThatThrownBy(() -> valid().snapshotEveryTxns(0).build()).hasMessageContaining("snapshotEveryTxns");
    assertThatThrownBy(() -> valid().maxApplyBacklogBytes(0).build()).hasMessageContaining("maxApplyBacklogBytes");
    assertThatThrownBy(() -> valid().maxTxnBytes(1 << 20).maxLogBacklogBytes((1 << 20) - 1).build())
        .hasMessageContaining("maxLogBacklogBytes must be >= maxTxnBytes");
  }

  @Test
  void aTxnLimitThatNoFrameCanCarryIsRefusedNamingBothSettings() {
    assertThatThrownBy(() -> valid().maxTxnBytes(16 << 20).build()).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxTxnBytes (16777216)").hasMessageContaining("maxFrameBytes (16777216)");
    assertThatThrownBy(() -> valid().maxFrameBytes(1 << 20).build()).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxTxnBytes (1048576)").hasMessageContaining("maxFrameBytes (1048576)");
    valid().maxTxnBytes((16 << 20) - 19).build().close(); // the encoding of one txn takes 19 bytes
  }

  @Test
  void aTransportWithSmallerFramesThanOneTxnNeedsIsRefusedAtStart() {
    try (ZabNode node = valid().transport(LocalNetwork.createWithCodec(1 << 20)::transport).build()) {
      assertThatThrownBy(node::start).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("transport carries frames of at most 1048576 bytes")
          .hasMessageContaining("maxTxnBytes (1048576)");
    }
  }

  @Test
  void aDataDirThatIsAFileIsRefused() throws Exception {
    Path file = Files.writeString(dir.resolve("file"), "x");
    assertThatThrownBy(() -> valid().dataDir(file).build()).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dataDir " + file);
  }

  @Test
  void submitBeforeStartIsAProgrammingError() {
    try (ZabNode node = valid().build()) {
      assertThatThrownBy(() -> node.submit(new byte[1])).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("call start() first");
    }
  }
}
