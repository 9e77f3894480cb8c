package io.zab;

/**
 * The leader was lost after the write was forwarded or proposed: it may or may not commit. Do not blindly
 * retry a non-idempotent write; read the state back after the next election (for example after
 * {@link ZabNode#sync()}) and decide.
 *
 * <pre>{@code
 * catch (OutcomeUnknownException e) { node.sync().thenRun(this::checkWhetherMyWriteLanded); }
 * }</pre>
 */
public final class OutcomeUnknownException extends ZabException {
  /**
   * The leader was lost after taking the write.
   *
   * @param leader the lost leader's id, or 0 if not known
   */
  public OutcomeUnknownException(long leader) {
    super("the leader" + (leader > 0 ? " (server " + leader + ")" : "") + " was lost after the write was handed to"
        + " it; it may or may not commit: check the state after the next election before retrying");
  }

  @Override
  public boolean notApplied() {
    return false;
  }
}
