package io.zab;

/**
 * Too many requests are in flight (more than {@code maxOutstanding}, or the node's queues are full). The
 * request was not proposed.
 *
 * <pre>{@code
 * catch (OverloadedException e) { backOffAndRetry(); }
 * }</pre>
 */
public final class OverloadedException extends ZabException {
  /**
   * A refusal for lack of room.
   *
   * @param detail which bound was reached
   */
  public OverloadedException(String detail) {
    super(detail + "; the request was not proposed: retry later, or raise maxOutstanding");
  }

  @Override
  public boolean notApplied() {
    return true;
  }
}
