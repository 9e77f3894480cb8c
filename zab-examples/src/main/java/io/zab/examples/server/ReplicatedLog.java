package io.zab.examples.server;

import io.zab.Applied;
import io.zab.Role;
import io.zab.Zxid;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * The part of a {@code ZabNode} the node program uses. Production wraps a real node
 * ({@link ZabNodeLog}); tests of the HTTP layer can use a one-process log.
 */
public interface ReplicatedLog extends AutoCloseable {

  /**
   * Orders {@code txn}; completes once it has been applied on this node, with its zxid and what this node's state
   * machine returned for it (see {@code ZabNode.submitForResult}).
   */
  <R> CompletableFuture<Applied<R>> submitForResult(byte[] txn);

  /** A read barrier: completes once this node has applied everything committed before the call. */
  CompletableFuture<Zxid> sync();

  Role role();

  /**
   * Whether this node serves in an established epoch: its core announced the role it is in (LEADING, or
   * FOLLOWING after syncing with the leader) for the current epoch and has not gone back to an election since.
   */
  boolean established();

  OptionalLong leader();

  long epoch();

  Zxid lastZxid();

  @Override
  void close();
}
