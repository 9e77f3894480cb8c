package io.zab;

/**
 * Why a {@link ZabNode} refused or could not finish a request. Futures returned by {@link ZabNode#submit},
 * {@link ZabNode#submitForResult} and {@link ZabNode#sync} fail with one of the subclasses; each message says what
 * to do next.
 *
 * <pre>{@code
 * node.submit(bytes).whenComplete((zxid, error) -> {
 *   Throwable cause = error instanceof CompletionException ? error.getCause() : error;
 *   if (cause instanceof NoQuorumException || cause instanceof OverloadedException) {
 *     // no write happened: safe to retry (after an election, or after backing off)
 *   } else if (cause instanceof OutcomeUnknownException) {
 *     // may or may not have committed: make the write idempotent, or read back before retrying
 *   }
 * });
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 */
public abstract sealed class ZabException extends RuntimeException
    permits NoQuorumException, OverloadedException, TooLargeException, ClosedException,
        OutcomeUnknownException, ResultUnavailableException, StaleConfigurationException, ChangeInProgressException,
        CatchUpTimeoutException, LeadershipTransferException {

  ZabException(String message) {
    super(message);
  }

  ZabException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * Whether the request certainly did not take effect, so retrying it cannot apply it twice.
   *
   * @return true if retrying cannot apply the request twice
   */
  public abstract boolean notApplied();
}
