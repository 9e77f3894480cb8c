package io.zab;

import java.util.Objects;

/**
 * A write that was committed and applied on the server it was submitted to, with the result that server's
 * {@link ResultStateMachine#applyForResult} returned for it. The value of the future of
 * {@link ZabNode#submitForResult}.
 *
 * <pre>{@code
 * node.<Reply>submitForResult(bytes).thenAccept(applied ->
 *     log.info("applied at {}: {}", applied.zxid(), applied.result()));
 * }</pre>
 *
 * <p>Immutable (the result is whatever the state machine returned: make it immutable too).
 *
 * @param zxid the write's zxid
 * @param result what the state machine returned when it applied the write (may be null)
 * @param <R> the state machine's result type
 */
public record Applied<R>(Zxid zxid, R result) {
  public Applied {
    Objects.requireNonNull(zxid, "zxid");
  }
}
