package io.zab.examples.consumer;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.zab.FileSyncer;
import io.zab.Member;
import io.zab.StateMachine;
import io.zab.Timeouts;
import io.zab.ZabNode;
import io.zab.Zxid;
import io.zab.metrics.micrometer.MicrometerZabMetrics;
import io.zab.transport.netty.NettyConfig;
import io.zab.transport.netty.NettyTransport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A replicated boolean, configured with every kind of builder setting the public API offers. */
final class ReplicatedFlag implements StateMachine, AutoCloseable {
  private volatile boolean set;
  private final ZabNode node;

  ReplicatedFlag(long myId, List<Member> members, Path dataDir) throws IOException {
    node = ZabNode.builder().serverId(myId).members(members).dataDir(dataDir)
        .transport(NettyTransport.factory(NettyConfig.builder("flags").build()))
        .stateMachine(this)
        .tick(Duration.ofMillis(50))
        .timeouts(Timeouts.defaults().withSyncLimit(Duration.ofSeconds(4)))
        .statusPeriod(Duration.ofSeconds(10))
        .metrics(MicrometerZabMetrics.of(new SimpleMeterRegistry()))
        .fileSyncer(FileSyncer.SYSTEM)
        .build();
    node.start();
  }

  CompletableFuture<Zxid> set(boolean value) {
    return node.submit(new byte[] {(byte) (value ? 1 : 0)});
  }

  CompletableFuture<Boolean> read() {
    return node.sync().thenApply(z -> set);
  }

  @Override public void apply(Zxid zxid, ByteBuffer txn) { set = txn.get() == 1; }
  @Override public void snapshot(OutputStream out) throws IOException { out.write(set ? 1 : 0); }
  @Override public void restore(InputStream in) throws IOException { set = in.read() == 1; }
  @Override public void close() { node.close(); }
}
