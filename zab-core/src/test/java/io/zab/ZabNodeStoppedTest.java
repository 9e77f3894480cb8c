package io.zab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zab.transport.LocalNetwork;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ZabNode#stopped()}: a program learns that its node stopped, and whether a fatal error stopped it. */
class ZabNodeStoppedTest {
  @TempDir
  Path dir;

  private final AtomicBoolean diskBroken = new AtomicBoolean();

  private ZabNode singleServer() {
    return ZabNode.builder().serverId(1).members(List.of(Member.local(1))).dataDir(dir)
        .transport(LocalNetwork.create()::transport).stateMachine(new Ignore()).tick(Duration.ofMillis(10))
        .timeouts(Timeouts.defaults().scaledBy(0.2))
        .fileSyncer(new FileSyncer() {
          @Override
          public void syncData(FileChannel channel) throws IOException {
            if (diskBroken.get()) {
              throw new IOException("injected fsync failure");
            }
            channel.force(false);
          }
        })
        .build();
  }

  @Test
  void completesNormallyOnceCloseHasStoppedEverything() throws Exception {
    ZabNode node = singleServer();
    node.start();
    assertThat(node.stopped()).isNotDone();
    node.close();
    node.stopped().get(10, TimeUnit.SECONDS);
    assertThat(node.stopped()).isCompletedWithValue(null);
  }

  @Test
  void failsWithTheCauseWhenAFatalErrorStopsTheNodeOnItsOwn() throws Exception {
    ZabNode node = singleServer();
    node.start();
    node.submit(bytes("before")).get(10, TimeUnit.SECONDS);
    diskBroken.set(true);
    node.submit(bytes("during"));

    assertThatThrownBy(() -> node.stopped().get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(ClosedException.class).hasMessageContaining("fatal error")
        .rootCause().hasMessage("injected fsync failure");
    node.close(); // still fine afterwards
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static final class Ignore implements StateMachine {
    @Override
    public void apply(Zxid zxid, ByteBuffer txn) {}

    @Override
    public void snapshot(OutputStream out) {}

    @Override
    public void restore(InputStream in) {}
  }
}
