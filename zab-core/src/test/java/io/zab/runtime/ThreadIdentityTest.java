package io.zab.runtime;

import static io.zab.fixtures.LocalCluster.WAIT;
import static io.zab.fixtures.LocalCluster.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.zab.FileSyncer;
import io.zab.Member;
import io.zab.StateMachine;
import io.zab.Timeouts;
import io.zab.ZabNode;
import io.zab.ZabThreads;
import io.zab.Zxid;
import io.zab.fixtures.LocalCluster;
import io.zab.transport.LocalNetwork;
import io.zab.transport.Transport;
import io.zab.transport.TransportFactory;
import io.zab.wire.Message;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.MDC;

/** Every thread of a node carries its server id in its name and in the slf4j MDC, as do its callbacks. */
class ThreadIdentityTest {
  /** zab's default timeouts as many ticks as at 50 ms, at the tests' 20 ms ticks. */
  private static final Timeouts DEFAULTS_IN_TICKS = Timeouts.defaults().scaledBy(0.4);

  private static final long ID = 7;

  @TempDir
  Path dir;

  /** Where each hook ran: thread name and the MDC value seen there, every distinct pair. */
  private final Map<String, Set<String>> seen = new ConcurrentHashMap<>();

  private void record(String where) {
    seen.computeIfAbsent(where, k -> ConcurrentHashMap.newKeySet())
        .add(Thread.currentThread().getName() + " sid=" + MDC.get(ZabThreads.MDC_KEY));
  }

  @Test
  void everyThreadOfANodeIsNamedAfterItAndTagsItsLogLines() throws Exception {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    ExecutorService appExecutor = Executors.newSingleThreadExecutor(r -> new Thread(r, "app-callbacks"));
    LocalNetwork net = LocalNetwork.create();
    TransportFactory recording = (self, members) -> new Recording(net.transport(self, members));
    ZabNode node = ZabNode.builder().serverId(ID).members(List.of(Member.local(ID))).dataDir(dir)
        .transport(recording).stateMachine(new Hooked()).snapshotEveryTxns(1)
        .tick(LocalCluster.TICK).timeouts(DEFAULTS_IN_TICKS)
        .fileSyncer(new FileSyncer() {
          @Override
          public void syncData(FileChannel channel) throws IOException {
            record("fsync");
            channel.force(false);
          }
        }).build();
    try {
      node.start();
      node.submit(bytes("x")).thenRun(() -> record("continuation")).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      LocalCluster.awaitCondition(WAIT, () -> seen.containsKey("snapshot"), () -> "a snapshot: " + seen);

      assertThat(seen.get("apply")).containsExactly("zab-apply-7 sid=7");
      assertThat(seen.get("fsync")).as("the log writer's (start() fsyncs on the caller's thread)")
          .contains("zab-log-writer-7 sid=7").allMatch(s -> s.startsWith("zab-log-writer-7 ") || s.startsWith("main "));
      assertThat(seen.get("snapshot")).containsExactly("zab-snapshot-7 sid=7");
      assertThat(seen.get("continuation")).containsExactly("zab-callback-7 sid=7");
      List<String> started = Thread.getAllStackTraces().keySet().stream().filter(t -> !before.contains(t))
          .map(Thread::getName).filter(n -> n.startsWith("zab-")).toList();
      assertThat(started).contains("zab-protocol-7", "zab-ticker-7", "zab-local-transport-7")
          .allMatch(n -> n.endsWith("-7"), "named after server 7");
    } finally {
      node.close();
    }

    // The protocol thread: a server of three, alone, sends its votes (to nobody) from there.
    Path third = dir.resolveSibling(dir.getFileName() + "-alone");
    ZabNode alone = ZabNode.builder().serverId(ID).members(List.of(Member.local(ID), Member.local(8), Member.local(9)))
        .dataDir(third).transport(recording).stateMachine(new Hooked())
        .tick(LocalCluster.TICK).timeouts(DEFAULTS_IN_TICKS).build();
    try {
      alone.start();
      LocalCluster.awaitCondition(WAIT, () -> seen.containsKey("send"), () -> "a vote sent: " + seen);
      assertThat(seen.get("send")).containsExactly("zab-protocol-7 sid=7");
    } finally {
      alone.close();
    }

    // An application's executor runs the callbacks with the id in the MDC, and gets its own value back after.
    Path other = dir.resolveSibling(dir.getFileName() + "-app");
    ZabNode node2 = ZabNode.builder().serverId(ID).members(List.of(Member.local(ID))).dataDir(other)
        .transport(LocalNetwork.create()::transport).stateMachine(new Hooked()).callbackExecutor(appExecutor)
        .tick(LocalCluster.TICK).timeouts(DEFAULTS_IN_TICKS).build();
    try {
      appExecutor.submit(() -> MDC.put(ZabThreads.MDC_KEY, "app")).get();
      node2.start();
      seen.remove("continuation");
      node2.submit(bytes("y")).thenRun(() -> record("continuation")).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(seen.get("continuation")).containsExactly("app-callbacks sid=7");
      assertThat(appExecutor.submit(() -> MDC.get(ZabThreads.MDC_KEY)).get()).isEqualTo("app");
    } finally {
      node2.close();
      appExecutor.shutdownNow();
    }
  }

  /** Records where the protocol thread sends from. */
  private final class Recording implements Transport {
    private final Transport inner;

    Recording(Transport inner) {
      this.inner = inner;
    }

    @Override
    public void start(Inbound inbound) {
      inner.start(inbound);
    }

    @Override
    public void updateMembers(List<io.zab.Member> members) {
      inner.updateMembers(members);
    }

    @Override
    public boolean send(long to, Message message) {
      record("send");
      return inner.send(to, message);
    }

    @Override
    public void flush() {
      record("flush");
      inner.flush();
    }

    @Override
    public void close() {
      inner.close();
    }
  }

  private final class Hooked implements StateMachine {
    @Override
    public void apply(Zxid zxid, ByteBuffer txn) {
      record("apply");
    }

    @Override
    public Snapshot snapshot() {
      return out -> record("snapshot");
    }

    @Override
    public void snapshot(OutputStream out) {}

    @Override
    public void restore(InputStream in) {}
  }
}
