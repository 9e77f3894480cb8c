package io.zab.examples.server;

import io.zab.Role;
import io.zab.ZabNode;
import io.zab.Zxid;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/** The node program's view of a real {@link ZabNode}. */
public final class ZabNodeLog implements ReplicatedLog {
  private final ZabNode node;

  public ZabNodeLog(ZabNode node) {
    this.node = node;
  }

  @Override
  public CompletableFuture<Zxid> submit(byte[] txn) {
    return node.submit(txn);
  }

  @Override
  public CompletableFuture<Zxid> sync() {
    return node.sync();
  }

  @Override
  public Role role() {
    return node.role();
  }

  @Override
  public OptionalLong leader() {
    return node.leader();
  }

  @Override
  public long epoch() {
    return node.epoch();
  }

  @Override
  public Zxid lastZxid() {
    return node.lastZxid();
  }

  @Override
  public void close() {
    node.close();
  }
}
