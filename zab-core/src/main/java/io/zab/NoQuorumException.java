package io.zab;

/**
 * No leader backed by a quorum is available (an election is running, or this server is cut off from the
 * majority, S10). The request was not proposed.
 *
 * <pre>{@code
 * catch (NoQuorumException e) { retryAfterElection(); }
 * }</pre>
 */
public final class NoQuorumException extends ZabException {
  /**
   * The standard refusal.
   */
  public NoQuorumException() {
    super("no leader with a quorum is reachable (election running or this server is partitioned); the request"
        + " was not proposed: retry after an election");
  }

  /**
   * A refusal that says more about why.
   *
   * @param detail why no leader can order the request now
   */
  public NoQuorumException(String detail) {
    super(detail + "; the request was not proposed: retry after an election");
  }

  @Override
  public boolean notApplied() {
    return true;
  }
}
