package io.zab.examples.server;

import io.zab.Applied;
import io.zab.Role;
import io.zab.ZabListener.RoleChange;
import io.zab.ZabNode;
import io.zab.Zxid;
import java.io.IOException;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/** The node program's view of a real {@link ZabNode}. */
public final class ZabNodeLog implements ReplicatedLog {
  private final ZabNode node;
  /** What the core last announced (its role once an epoch is established, LOOKING on an election). */
  private volatile RoleChange announced;

  private ZabNodeLog(ZabNode node) {
    this.node = node;
    node.addListener(e -> announced = e);
  }

  /**
   * Starts {@code node} (recovery, then joining the ensemble), watching its announcements from the first one.
   *
   * @throws IOException if the node cannot start from its data directory
   */
  public static ZabNodeLog start(ZabNode node) throws IOException {
    ZabNodeLog log = new ZabNodeLog(node);
    node.start();
    return log;
  }

  /** The node itself. */
  public ZabNode node() {
    return node;
  }

  @Override
  public boolean established() {
    RoleChange a = announced;
    return a != null && a.role() != Role.LOOKING && a.role() == node.role() && a.epoch() == node.epoch();
  }

  @Override
  public <R> CompletableFuture<Applied<R>> submitForResult(byte[] txn) {
    return node.submitForResult(txn);
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
