package io.zab;

/**
 * The node was closed, or stopped after a fatal error (such as a failed fsync), before the request finished.
 * A write submitted before the close may still commit on the other servers: treat its outcome as unknown.
 *
 * <pre>{@code
 * catch (ClosedException e) { reconnectToAnotherServer(); }
 * }</pre>
 */
public final class ClosedException extends ZabException {
  /**
   * A closed node's refusal.
   *
   * @param reason what closed or stopped the node
   */
  public ClosedException(String reason) {
    super(reason + ": use another server, or build and start a new node");
  }

  /**
   * A stopped node's refusal, with the fatal error that stopped it.
   *
   * @param reason what stopped the node
   * @param cause the fatal error
   */
  public ClosedException(String reason, Throwable cause) {
    super(reason + ": use another server, or build and start a new node", cause);
  }

  /** False: a write handed over before the close may still commit elsewhere. */
  @Override
  public boolean notApplied() {
    return false;
  }
}
