package io.zab.protocol;

import io.zab.Zxid;
import io.zab.wire.Txn;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The txns this server holds in memory: every logged txn after {@link #base()}, gap-free. The base is the
 * newest zxid that is known (snapshotted or compacted away) but no longer held; sync needs a SNAP for a
 * follower whose last zxid is older than it.
 */
final class InMemoryLog {
  private Zxid base;
  private final ArrayList<Txn> txns = new ArrayList<>();
  /** Payload bytes of the held txns (what the log costs in heap, apart from a small per-txn overhead). */
  private long bytes;
  /** The counter of the first txn of every epoch (1; other values only in counter-exhaustion tests). */
  private final long firstCounter;

  InMemoryLog(Zxid base, List<Txn> after, long firstCounter) {
    this.base = base;
    this.firstCounter = firstCounter;
    for (Txn t : after) {
      append(t);
    }
  }

  Zxid base() {
    return base;
  }

  Zxid last() {
    return txns.isEmpty() ? base : txns.get(txns.size() - 1).zxid();
  }

  int size() {
    return txns.size();
  }

  /** Payload bytes of the held txns. */
  long bytes() {
    return bytes;
  }

  /**
   * Appends one txn. Within an epoch counters must be consecutive, and a new epoch starts at the first
   * counter. Anything else is a gap or a reordering and is refused loudly (ZOOKEEPER-4785/4925).
   */
  void append(Txn t) {
    Zxid z = t.zxid();
    Zxid last = last();
    boolean ok = z.epoch() == last.epoch()
        ? z.counter() == last.counter() + 1
        : z.epoch() > last.epoch() && z.counter() == firstCounter;
    if (!ok) {
      throw new LogGapException("txn " + z + " does not follow the last logged zxid " + last);
    }
    txns.add(t);
    bytes += t.data().length;
  }

  /** Whether {@code z} is part of the history this log knows (the base or a held txn). */
  boolean knows(Zxid z) {
    return z.equals(base) || indexOf(z) >= 0;
  }

  /** The largest known zxid (base included) that is {@code <= z}, or null when z precedes the base. */
  Zxid floor(Zxid z) {
    if (z.isBefore(base)) {
      return null;
    }
    int i = insertionPoint(z);
    if (i < txns.size() && txns.get(i).zxid().equals(z)) {
      return z;
    }
    return i == 0 ? base : txns.get(i - 1).zxid();
  }

  /** The held txns with {@code from < zxid <= to}; {@code from} must not precede the base. */
  List<Txn> range(Zxid from, Zxid to) {
    if (from.isBefore(base)) {
      throw new IllegalArgumentException("txns after " + from + " are no longer held (base " + base + ")");
    }
    int start = indexAfter(from);
    int end = indexAfter(to);
    return start >= end ? List.of() : Collections.unmodifiableList(new ArrayList<>(txns.subList(start, end)));
  }

  /**
   * The held txns after {@code from} and up to {@code upTo}, as many as one proposal of at most {@code maxTxns}
   * txns and {@code maxBodyBytes} holds (at least one, if any); {@code from} must not precede the base.
   */
  List<Txn> batchAfter(Zxid from, Zxid upTo, int maxTxns, long maxBodyBytes) {
    if (from.isBefore(base)) {
      throw new IllegalArgumentException("txns after " + from + " are no longer held (base " + base + ")");
    }
    int start = indexAfter(from);
    int end = indexAfter(upTo);
    if (start >= end) {
      return List.of();
    }
    return List.copyOf(txns.subList(start, ProposalBatches.end(txns.subList(0, end), start, maxTxns, maxBodyBytes)));
  }

  /** The held txns after {@code from}. */
  List<Txn> after(Zxid from) {
    return range(from, last());
  }

  /** How many held txns have a zxid above {@code z}. */
  int countAfter(Zxid z) {
    return txns.size() - indexAfter(z);
  }

  /** Payload bytes of the held txns with a zxid above {@code z} (walks them: for status reports, not hot paths). */
  long bytesAfter(Zxid z) {
    long sum = 0;
    for (int i = indexAfter(z); i < txns.size(); i++) {
      sum += txns.get(i).data().length;
    }
    return sum;
  }

  /** Drops every txn above {@code z} (S7 TRUNC); {@code z} must be known. */
  void truncateAfter(Zxid z) {
    if (z.isBefore(base)) {
      throw new LogGapException("cannot truncate to " + z + ": older than the log base " + base);
    }
    drop(indexAfter(z), txns.size());
  }

  /** An installed snapshot replaces the whole log: nothing is held after it yet. */
  void resetTo(Zxid snapshot) {
    txns.clear();
    bytes = 0;
    base = snapshot;
  }

  /**
   * Forgets txns up to {@code upTo} (already in a snapshot) but keeps the newest {@code retain} of them, as
   * long as those kept up to {@code upTo} total at most {@code retainBytes} payload bytes: with large txns a
   * count alone would pin hundreds of MiB of heap only to spare a lagging follower a SNAP.
   */
  void compact(Zxid upTo, int retain, long retainBytes) {
    int end = indexAfter(upTo);
    int keepFrom = Math.max(0, txns.size() - retain);
    long kept = 0;
    int first = end; // the oldest txn <= upTo that stays
    while (first > keepFrom && kept + txns.get(first - 1).data().length <= retainBytes) {
      first--;
      kept += txns.get(first).data().length;
    }
    if (first > 0) {
      base = txns.get(first - 1).zxid();
      drop(0, first);
    }
  }

  private void drop(int from, int to) {
    List<Txn> gone = txns.subList(from, to);
    for (Txn t : gone) {
      bytes -= t.data().length;
    }
    gone.clear();
  }

  private int indexOf(Zxid z) {
    int i = insertionPoint(z);
    return i < txns.size() && txns.get(i).zxid().equals(z) ? i : -1;
  }

  /** Index of the first held txn whose zxid is {@code > z}. */
  private int indexAfter(Zxid z) {
    int i = insertionPoint(z);
    return i < txns.size() && txns.get(i).zxid().equals(z) ? i + 1 : i;
  }

  /** Index of the first held txn whose zxid is {@code >= z}. */
  private int insertionPoint(Zxid z) {
    int lo = 0;
    int hi = txns.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (txns.get(mid).zxid().isBefore(z)) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** A txn that would leave a hole in (or reorder) the log. */
  static final class LogGapException extends IllegalStateException {
    LogGapException(String message) {
      super(message);
    }
  }
}
