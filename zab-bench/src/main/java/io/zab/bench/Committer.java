package io.zab.bench;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/** Something that makes records durable with group commit: the future completes after the covering fsync. */
interface Committer extends AutoCloseable {
  CompletableFuture<?> commit(byte[] payload);

  /** fsyncs done so far. */
  long fsyncs();

  @Override
  void close() throws IOException;
}
