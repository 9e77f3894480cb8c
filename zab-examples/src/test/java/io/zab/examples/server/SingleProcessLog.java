package io.zab.examples.server;

import io.zab.Applied;
import io.zab.Role;
import io.zab.Zxid;
import io.zab.examples.kv.KvStateMachine;
import java.nio.ByteBuffer;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A test double of a one-server log: orders submissions on one thread and applies them at once, as a
 * committed log would. Lets the HTTP layer be tested in one JVM without a cluster.
 */
final class SingleProcessLog implements ReplicatedLog {
  private final KvStateMachine sm;
  private final ExecutorService applyThread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "single-process-apply");
    t.setDaemon(true);
    return t;
  });
  private volatile Zxid last = Zxid.ZERO;

  SingleProcessLog(KvStateMachine sm) {
    this.sm = sm;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <R> CompletableFuture<Applied<R>> submitForResult(byte[] txn) {
    return CompletableFuture.supplyAsync(() -> {
      Zxid z = last.value() == 0 ? Zxid.of(1, 1) : last.next();
      Object result = sm.applyForResult(z, ByteBuffer.wrap(txn).asReadOnlyBuffer());
      last = z;
      return new Applied<>(z, (R) result);
    }, applyThread);
  }

  @Override
  public CompletableFuture<Zxid> sync() {
    return CompletableFuture.supplyAsync(() -> last, applyThread);
  }

  @Override
  public Role role() {
    return Role.LEADING;
  }

  @Override
  public boolean established() {
    return true;
  }

  @Override
  public OptionalLong leader() {
    return OptionalLong.of(1);
  }

  @Override
  public long epoch() {
    return 1;
  }

  @Override
  public Zxid lastZxid() {
    return last;
  }

  @Override
  public void close() {
    applyThread.shutdownNow();
  }
}
