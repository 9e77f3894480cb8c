package io.zab;

/**
 * The payload is larger than the configured {@code maxTxnBytes}. The request was not proposed; retrying it
 * unchanged will fail again.
 *
 * <pre>{@code
 * catch (TooLargeException e) { splitIntoSmallerWrites(); }
 * }</pre>
 */
public final class TooLargeException extends ZabException {
  /**
   * A payload above the bound.
   *
   * @param size the payload's size in bytes
   * @param max the configured maxTxnBytes
   */
  public TooLargeException(int size, int max) {
    super("payload of " + size + " bytes exceeds maxTxnBytes=" + max
        + "; it was not proposed: split the write or raise maxTxnBytes on every server");
  }

  /**
   * A request too large, described.
   *
   * @param detail what is too large
   */
  public TooLargeException(String detail) {
    super(detail + "; it was not proposed: split the write or raise maxTxnBytes on every server");
  }

  @Override
  public boolean notApplied() {
    return true;
  }
}
