package io.zab;

import io.zab.transport.TransportFactory;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/** A replicated counter: each server runs one; add() and read() work on any of them. (docs/embedding.md) */
final class CounterService implements StateMachine, AutoCloseable {
  private final AtomicLong value = new AtomicLong(); // written by the apply thread, read by any thread
  private final ZabNode node;

  CounterService(long myId, List<Member> members, Path dataDir, TransportFactory transport) throws IOException {
    node = ZabNode.builder().serverId(myId).members(members).dataDir(dataDir)
        .transport(transport).stateMachine(this).build();
    node.start(); // restores the newest local snapshot, then joins the election
  }

  /** Adds {@code delta} once a quorum has fsynced it; completes after it is applied on this server. */
  CompletableFuture<Zxid> add(long delta) {
    return node.submit(ByteBuffer.allocate(Long.BYTES).putLong(delta).array());
  }

  /** A read barrier, then a local read: sees every add committed before the call. */
  CompletableFuture<Long> read() {
    return node.sync().thenApply(applied -> value.get());
  }

  @Override public void apply(Zxid zxid, ByteBuffer txn) { value.addAndGet(txn.getLong()); }
  @Override public void snapshot(OutputStream out) throws IOException { new DataOutputStream(out).writeLong(value.get()); }
  @Override public void restore(InputStream in) throws IOException { value.set(new DataInputStream(in).readLong()); }
  @Override public void close() { node.close(); }
}
