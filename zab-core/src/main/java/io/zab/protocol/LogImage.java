package io.zab.protocol;

import io.zab.Zxid;
import io.zab.wire.Txn;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * The log a simulated disk holds, as {@link Action}'s storage rules leave it: the latest snapshot's zxid, then the
 * txns after it, a durable prefix followed by an unsynced tail that a crash loses. Not used by the runtime (its log
 * is {@code io.zab.storage.TxnLog}); it is the one disk model that the protocol tests' harness and the testkit's
 * simulator share, so both carry out Append, Truncate, fsyncs, snapshots and crashes the same way and check the
 * same rules (zxid order, no truncation below the snapshot). Each harness adds its own timing: the protocol tests
 * fsync by hand or at once, the simulator after a simulated delay.
 *
 * <p>Every appended txn gets a sequence number, so that an fsync started earlier covers exactly what was appended
 * before it started, whatever truncations happen meanwhile ({@link #syncThrough}). Not thread-safe.
 */
public final class LogImage {
  private record Unsynced(long seq, Txn txn) {}

  private Zxid snapshotZxid;
  private final List<Txn> durable = new ArrayList<>();
  private final List<Unsynced> unsynced = new ArrayList<>();
  private long nextSeq;

  /**
   * A log that holds {@code durableLog} after the snapshot at {@code snapshotZxid}, all of it durable.
   *
   * @param snapshotZxid the zxid of the latest snapshot ({@link Zxid#ZERO} for none)
   * @param durableLog the txns after it, in zxid order
   */
  public LogImage(Zxid snapshotZxid, List<Txn> durableLog) {
    this.snapshotZxid = snapshotZxid;
    durable.addAll(durableLog);
  }

  /**
   * The zxid of the latest snapshot: the log holds only txns after it.
   *
   * @return the snapshot's zxid
   */
  public Zxid snapshotZxid() {
    return snapshotZxid;
  }

  /**
   * The last zxid as the server sees it, durable or not.
   *
   * @return the last txn's zxid, or the snapshot's if the log is empty
   */
  public Zxid lastZxid() {
    return unsynced.isEmpty() ? durableLastZxid() : unsynced.get(unsynced.size() - 1).txn().zxid();
  }

  /**
   * The last zxid a crash right now would keep at least.
   *
   * @return the last durable txn's zxid, or the snapshot's if none after it is durable
   */
  public Zxid durableLastZxid() {
    return durable.isEmpty() ? snapshotZxid : durable.get(durable.size() - 1).zxid();
  }

  /**
   * Whether a crash now would keep {@code zxid}: the snapshot covers it (snapshots hold committed state only) or its
   * txn is durable.
   *
   * @param zxid the txn's zxid
   * @return true if it survives a crash now
   */
  public boolean durablyHolds(Zxid zxid) {
    if (!zxid.isAfter(snapshotZxid)) {
      return true;
    }
    int lo = 0;
    int hi = durable.size() - 1;
    while (lo <= hi) { // the log is in zxid order (checked on every append)
      int mid = (lo + hi) >>> 1;
      int c = durable.get(mid).zxid().compareTo(zxid);
      if (c == 0) {
        return true;
      } else if (c < 0) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return false;
  }

  /**
   * Every txn after the snapshot, durable ones first.
   *
   * @return a copy, in zxid order
   */
  public List<Txn> txns() {
    List<Txn> all = new ArrayList<>(durable);
    unsynced.forEach(u -> all.add(u.txn()));
    return all;
  }

  /**
   * The durable txns after the snapshot.
   *
   * @return an unmodifiable view, in zxid order
   */
  public List<Txn> durableTxns() {
    return Collections.unmodifiableList(durable);
  }

  /**
   * How many txns after the snapshot are durable.
   *
   * @return the length of the durable prefix
   */
  public int durableCount() {
    return durable.size();
  }

  /**
   * How many txns wait for an fsync.
   *
   * @return the length of the unsynced tail
   */
  public int unsyncedCount() {
    return unsynced.size();
  }

  /**
   * Appends txns, unsynced. Each must follow the log's last zxid: strictly greater, and the next counter within
   * the same epoch (Append's contract: consecutive zxids continuing the log).
   *
   * @param txns the txns, in zxid order
   * @param outOfOrder told what is wrong with each txn that does not follow (it is appended anyway)
   */
  public void append(List<Txn> txns, Consumer<String> outOfOrder) {
    Zxid last = lastZxid();
    for (Txn t : txns) {
      if (!t.zxid().isAfter(last)) {
        outOfOrder.accept("append of " + t.zxid() + " after " + last + ": zxids must strictly increase in every log");
      } else if (t.zxid().epoch() == last.epoch() && t.zxid().counter() != last.counter() + 1) {
        outOfOrder.accept("append of " + t.zxid() + " after " + last + " leaves a gap within epoch " + last.epoch());
      }
      unsynced.add(new Unsynced(nextSeq++, t));
      last = t.zxid();
    }
  }

  /**
   * The sequence number of the newest unsynced txn: an fsync started now covers up to it.
   *
   * @return its sequence number, or -1 if nothing waits for an fsync
   */
  public long lastUnsyncedSeq() {
    return unsynced.isEmpty() ? -1 : unsynced.get(unsynced.size() - 1).seq();
  }

  /**
   * An fsync completes: every unsynced txn appended up to sequence number {@code seq} (and still there) is durable.
   *
   * @param seq what the fsync covers, from {@link #lastUnsyncedSeq()} when it started
   * @return the last zxid it made durable, or null if it made none
   */
  public Zxid syncThrough(long seq) {
    int n = 0;
    while (n < unsynced.size() && unsynced.get(n).seq() <= seq) {
      durable.add(unsynced.get(n++).txn());
    }
    unsynced.subList(0, n).clear();
    return n == 0 ? null : durableLastZxid();
  }

  /**
   * Makes everything durable (an fsync of all, or a clean shutdown's flush).
   *
   * @return the last zxid, now durable
   */
  public Zxid syncAll() {
    syncThrough(Long.MAX_VALUE);
    return durableLastZxid();
  }

  /**
   * An fsync that covers only the first {@code count} txns after the snapshot (a group commit that covers part of
   * what is queued).
   *
   * @param count how many txns after the snapshot are durable afterwards, at least
   * @return the last durable zxid
   */
  public Zxid syncFirst(int count) {
    int n = Math.max(0, Math.min(count - durable.size(), unsynced.size()));
    for (int i = 0; i < n; i++) {
      durable.add(unsynced.get(i).txn());
    }
    unsynced.subList(0, n).clear();
    return durableLastZxid();
  }

  /**
   * Drops every txn after {@code after}, durably (Truncate's contract: before any later append).
   *
   * @param after the last zxid kept
   * @return what is wrong if {@code after} is below the snapshot (committed state cannot be truncated), else null
   */
  public String truncateAfter(Zxid after) {
    unsynced.removeIf(u -> u.txn().zxid().isAfter(after));
    durable.removeIf(t -> t.zxid().isAfter(after));
    return after.isBefore(snapshotZxid)
        ? "truncate to " + after + " below the snapshot at " + snapshotZxid + ": committed state cannot be truncated"
        : null;
  }

  /**
   * A crash: the unsynced tail is lost, except its first {@code survive} txns, which the OS happened to flush.
   *
   * @param survive how many unsynced txns survive (0 for none)
   */
  public void crash(int survive) {
    syncFirst(durable.size() + survive);
    unsynced.clear();
  }

  /**
   * A snapshot at {@code zxid} was taken here (and is durable): the log keeps only what follows it.
   *
   * @param zxid the last txn the snapshot covers
   */
  public void compactTo(Zxid zxid) {
    snapshotZxid = zxid;
    durable.removeIf(t -> !t.zxid().isAfter(zxid));
    unsynced.removeIf(u -> !u.txn().zxid().isAfter(zxid));
  }

  /**
   * A snapshot at {@code zxid} received from the leader was installed: the log starts after it, empty.
   *
   * @param zxid the installed snapshot's zxid
   */
  public void resetTo(Zxid zxid) {
    snapshotZxid = zxid;
    durable.clear();
    unsynced.clear();
  }

  /**
   * A record damaged in the middle of the log, found at start: the first {@code keep} txns after the snapshot
   * survive (each as durable as it was), the rest is set aside.
   *
   * @param keep how many txns survive
   */
  public void damageKeeping(int keep) {
    if (keep < durable.size()) {
      durable.subList(keep, durable.size()).clear();
      unsynced.clear();
    } else {
      int keepUnsynced = Math.min(unsynced.size(), keep - durable.size());
      unsynced.subList(keepUnsynced, unsynced.size()).clear();
    }
  }
}
