package io.zab;

/**
 * Another reconfiguration or a leadership transfer is under way: zab makes one membership change at a time.
 * Nothing was changed; retry once the other change completed (its future, or {@link ZabNode#configuration()}, tells).
 *
 * <pre>{@code
 * catch (ChangeInProgressException e) { retryLater(); }
 * }</pre>
 */
public final class ChangeInProgressException extends ZabException {
  /**
   * The refusal of a second concurrent membership change.
   */
  public ChangeInProgressException() {
    super("another configuration change or leadership transfer is under way; nothing was changed: retry once it"
        + " completed");
  }

  @Override
  public boolean notApplied() {
    return true;
  }
}
