package io.zab;

/**
 * A server that was to become a voter did not catch up with the leader within the bound the request gave: a new
 * voter counts in quorums only once it holds (nearly) everything the leader holds, so that adding it never stalls
 * the ensemble. Nothing was changed. Check that the server runs, that the leader can reach it at the address given,
 * and retry with a longer bound if its data is large.
 *
 * <pre>{@code
 * catch (CatchUpTimeoutException e) { log.warn("{}", e.getMessage()); }
 * }</pre>
 */
public final class CatchUpTimeoutException extends ZabException {
  /**
   * A new voter that did not catch up in time.
   *
   * @param detail what did not catch up, and with which leader
   */
  public CatchUpTimeoutException(String detail) {
    super(detail + "; nothing was changed: check that the new server runs and that the leader reaches it at the"
        + " address given, then retry (with a longer bound if it has much to catch up)");
  }

  @Override
  public boolean notApplied() {
    return true;
  }
}
