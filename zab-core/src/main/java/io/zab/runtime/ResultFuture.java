package io.zab.runtime;

import io.zab.Applied;
import io.zab.Zxid;
import java.util.concurrent.CompletableFuture;

/**
 * The future of a {@code submitForResult}: it is what tells the {@link ApplyWaiters} that the result of the
 * write's apply is wanted (a plain submit's future is a plain {@code CompletableFuture<Zxid>}, and no result is
 * kept for it). Continuations attached to it are ordinary {@code CompletableFuture}s.
 */
final class ResultFuture<R> extends CompletableFuture<Applied<R>> {

  /** Completes with the write's zxid and what the state machine returned for it (typed by the caller's R). */
  @SuppressWarnings("unchecked")
  void applied(Zxid zxid, Object result) {
    complete(new Applied<>(zxid, (R) result));
  }
}
