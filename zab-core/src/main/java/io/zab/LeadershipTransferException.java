package io.zab;

/**
 * A leadership transfer did not happen: the target is not a voter, could not be reached, or did not catch up with
 * the leader within the bound; or the election after the handover made another server leader (the target crashed
 * meanwhile, say). {@link #notApplied()} tells which: true when the old leader kept leading (it resumed proposing;
 * writes submitted meanwhile were held and go on), false when leadership did move, to another server.
 *
 * <pre>{@code
 * node.transferLeadership(2).exceptionally(e -> { log.warn("leadership stays: {}", e.getMessage()); return null; });
 * }</pre>
 */
public final class LeadershipTransferException extends ZabException {
  /** True if the old leader still leads; false if leadership moved, but not to the target. */
  private final boolean notApplied;

  /**
   * A transfer that did not reach its target.
   *
   * @param detail why the transfer failed, and which server leads now if known
   * @param notApplied true if the old leader kept leading; false if another server than the target became leader
   */
  public LeadershipTransferException(String detail, boolean notApplied) {
    super(detail);
    this.notApplied = notApplied;
  }

  /** True if the old leader still leads; false if leadership moved, but not to the target. */
  @Override
  public boolean notApplied() {
    return notApplied;
  }
}
