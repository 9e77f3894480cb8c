package io.zab.protocol;

import io.zab.Zxid;
import io.zab.wire.Txn;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Issue 16, one server's side: a write's {@link Action.Complete} comes before the {@link Action.Deliver} of its txn
 * on the server it was submitted to, so the runtime can hand that apply's result to the write's future. Fed the
 * server's writes and its actions in order; the protocol tests' harness and the testkit's simulator share it. Not
 * used by the runtime. Not thread-safe.
 */
public final class ResultHandoffCheck {
  private final Set<Long> writes = new HashSet<>();
  /** The zxids this incarnation delivered itself, as runs {@code (after, upTo]}; a snapshot install starts a run. */
  private final List<Zxid[]> runs = new ArrayList<>();

  /**
   * A server starting from its snapshot at {@code snapshotZxid}, with no write outstanding.
   *
   * @param snapshotZxid what its state machine starts from
   */
  public ResultHandoffCheck(Zxid snapshotZxid) {
    restarted(snapshotZxid);
  }

  /**
   * The server restarted from its snapshot: its outstanding writes are gone, and it has delivered nothing yet.
   *
   * @param snapshotZxid what its state machine starts from
   */
  public void restarted(Zxid snapshotZxid) {
    writes.clear();
    runs.clear();
    runs.add(new Zxid[] {snapshotZxid, snapshotZxid});
  }

  /**
   * A client write was submitted to this server.
   *
   * @param requestId its request id
   */
  public void submitted(long requestId) {
    writes.add(requestId);
  }

  /**
   * Request {@code requestId} is no longer a write (the harness reused the id for another request).
   *
   * @param requestId the request id
   */
  public void forget(long requestId) {
    writes.remove(requestId);
  }

  /**
   * The server delivered txns (a {@link Action.Deliver}).
   *
   * @param txns the delivered txns, in zxid order
   */
  public void delivered(List<Txn> txns) {
    if (!txns.isEmpty()) {
      runs.get(runs.size() - 1)[1] = txns.get(txns.size() - 1).zxid();
    }
  }

  /**
   * The server installed a snapshot: the txns it covers were not delivered here.
   *
   * @param snapshotZxid the snapshot's zxid
   */
  public void installed(Zxid snapshotZxid) {
    runs.add(new Zxid[] {snapshotZxid, snapshotZxid});
  }

  /**
   * The server completed request {@code requestId} at {@code zxid} (a {@link Action.Complete}).
   *
   * @param requestId the request completed
   * @param zxid the zxid it completed at
   * @return what is wrong if it is a write whose txn this server delivered before, else null
   */
  public String completed(long requestId, Zxid zxid) {
    if (!writes.remove(requestId)) {
      return null;
    }
    for (Zxid[] run : runs) {
      if (zxid.isAfter(run[0]) && !zxid.isAfter(run[1])) {
        return "write " + requestId + " completed at " + zxid + " after this server had delivered that txn: the result"
            + " of its apply had nobody to go to (issue 16)";
      }
    }
    return null;
  }
}
