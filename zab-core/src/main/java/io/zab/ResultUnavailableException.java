package io.zab;

import java.util.Objects;

/**
 * A write of {@link ZabNode#submitForResult} committed at {@link #zxid()}, but the server it was submitted to did
 * not apply it itself: it had fallen behind and installed the leader's snapshot, which already contains the
 * write's effect, so the result that apply returned exists on the other servers only. The write is durable and
 * will not be undone: do not retry it. Read the state after {@link ZabNode#sync()} to learn its effect.
 *
 * <pre>{@code
 * catch (ResultUnavailableException e) { node.sync().thenRun(() -> lookWhatWriteAt(e.zxid()).did()); }
 * }</pre>
 *
 * <p>Rare: it needs a server that falls so far behind its leader, while keeping its connection, that the
 * leader has compacted the write from its log before sending it. {@link ZabNode#submit} completes normally with
 * the zxid in that case.
 */
public final class ResultUnavailableException extends ZabException {
  /**
   * The zxid the write committed at.
   */
  private final Zxid zxid;

  /**
   * A committed write whose result this server does not have.
   *
   * @param serverId this server
   * @param zxid the write's zxid
   * @param snapshotZxid the zxid of the snapshot this server installed instead
   */
  public ResultUnavailableException(long serverId, Zxid zxid, Zxid snapshotZxid) {
    super("the write committed at " + Objects.requireNonNull(zxid, "zxid") + ", but server " + serverId
        + " did not apply it itself: it installed the leader's snapshot at " + snapshotZxid + ", which contains"
        + " it, so its result is not available here; do not retry it, read the state (after sync()) instead");
    this.zxid = zxid;
  }

  /**
   * The zxid the write committed at.
   *
   * @return where the write committed
   */
  public Zxid zxid() {
    return zxid;
  }

  /** False: the write committed. */
  @Override
  public boolean notApplied() {
    return false;
  }
}
