package io.zab.protocol;

import io.zab.Zxid;
import io.zab.wire.MessageCodec;
import io.zab.wire.Txn;
import java.util.Arrays;
import java.util.List;

/**
 * The txns this server holds in memory: every logged txn after {@link #base()}, gap-free. The base is the
 * newest zxid that is known (snapshotted or compacted away) but no longer held; sync needs a SNAP for a
 * follower whose last zxid is older than it.
 *
 * <p>Held in a ring of primitive arrays (zxid, running payload total), so that searching, counting bytes and
 * compacting touch no txn object. The newest {@code hotBytes} of payload stay as they came (the txns being
 * proposed, acknowledged and delivered); older application payloads are copied into {@link PayloadPages}, so that
 * the thousands kept for lagging followers do not burden the garbage collector's pauses, and are copied out again
 * on the rare occasion a follower needs them. Configuration txns stay as they came: a packed txn is read back as an
 * application txn.
 */
final class InMemoryLog {
  /** Default of the newest payload bytes kept unpacked. */
  static final long HOT_BYTES = 1L << 20;

  private Zxid base;
  /** The counter of the first txn of every epoch (1; other values only in counter-exhaustion tests). */
  private final long firstCounter;
  private final long hotBytes;
  private final PayloadPages pages = new PayloadPages();

  // A ring of the held txns: logical index i (0 = oldest) lives at slot (head + i) % capacity.
  private Txn[] txns = new Txn[16]; // null once packed
  private long[] zxids = new long[16];
  /** Running payload total through each txn; the payload of i is ends[i] minus ends[i - 1] (or {@link #start}). */
  private long[] ends = new long[16];
  /** Where a packed payload is in {@link #pages}; -1 if not packed. */
  private long[] packedAt = new long[16];
  private int head;
  private int size;
  /** Running payload total before the oldest held txn. */
  private long start;
  /** The oldest {@code considered} held txns were considered for packing (packed, or too large to pack). */
  private int considered;
  private Zxid last;

  InMemoryLog(Zxid base, List<Txn> after, long firstCounter) {
    this(base, after, firstCounter, HOT_BYTES);
  }

  InMemoryLog(Zxid base, List<Txn> after, long firstCounter, long hotBytes) {
    this.base = base;
    this.last = base;
    this.firstCounter = firstCounter;
    this.hotBytes = hotBytes;
    for (Txn t : after) {
      append(t);
    }
  }

  Zxid base() {
    return base;
  }

  Zxid last() {
    return last;
  }

  int size() {
    return size;
  }

  /** Payload bytes of the held txns. */
  long bytes() {
    return size == 0 ? 0 : ends[slot(size - 1)] - start;
  }

  /** Pages of packed payloads held (tests). */
  int pageCount() {
    return pages.pageCount();
  }

  /** Pages of packed payloads allocated so far, reused ones not counted again (tests). */
  long pagesAllocated() {
    return pages.allocatedCount();
  }

  /**
   * Appends one txn. Within an epoch counters must be consecutive, and a new epoch starts at the first
   * counter. Anything else is a gap or a reordering and is refused loudly (ZOOKEEPER-4785/4925).
   */
  void append(Txn t) {
    Zxid z = t.zxid();
    boolean ok = z.epoch() == last.epoch()
        ? z.counter() == last.counter() + 1
        : z.epoch() > last.epoch() && z.counter() == firstCounter;
    if (!ok) {
      throw new LogGapException("txn " + z + " does not follow the last logged zxid " + last);
    }
    if (size == txns.length) {
      grow();
    }
    long before = size == 0 ? start : ends[slot(size - 1)];
    int s = slot(size);
    txns[s] = t;
    zxids[s] = z.value();
    ends[s] = before + t.data().length;
    packedAt[s] = -1;
    size++;
    last = z;
    packOlderThanHot();
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
    if (i < size && zxids[slot(i)] == z.value()) {
      return z;
    }
    return i == 0 ? base : zxidAt(i - 1);
  }

  /** The held txns with {@code from < zxid <= to}; {@code from} must not precede the base. */
  List<Txn> range(Zxid from, Zxid to) {
    if (from.isBefore(base)) {
      throw new IllegalArgumentException("txns after " + from + " are no longer held (base " + base + ")");
    }
    return txnsBetween(indexAfter(from), indexAfter(to));
  }

  /**
   * The held txns after {@code from} and up to {@code upTo}, as many as one proposal of at most {@code maxTxns}
   * txns and {@code maxBodyBytes} holds (at least one, if any); {@code from} must not precede the base.
   */
  List<Txn> batchAfter(Zxid from, Zxid upTo, int maxTxns, long maxBodyBytes) {
    if (from.isBefore(base)) {
      throw new IllegalArgumentException("txns after " + from + " are no longer held (base " + base + ")");
    }
    int first = indexAfter(from);
    int limit = indexAfter(upTo);
    if (first >= limit) {
      return List.of();
    }
    // at least one txn; then while the count and the body (header, per txn overhead and payload) fit
    long size = MessageCodec.PROPOSAL_HEADER_BYTES + MessageCodec.PROPOSAL_TXN_OVERHEAD_BYTES + payloadBytes(first);
    int end = first + 1;
    while (end < limit && end - first < maxTxns) {
      long more = MessageCodec.PROPOSAL_TXN_OVERHEAD_BYTES + payloadBytes(end);
      if (size + more > maxBodyBytes) {
        break;
      }
      size += more;
      end++;
    }
    return txnsBetween(first, end);
  }

  /** The held txns after {@code from}. */
  List<Txn> after(Zxid from) {
    return range(from, last());
  }

  /** How many held txns have a zxid above {@code z}. */
  int countAfter(Zxid z) {
    return size - indexAfter(z);
  }

  /** Payload bytes of the held txns with a zxid above {@code z} (from the running totals). */
  long bytesAfter(Zxid z) {
    int i = indexAfter(z);
    return i >= size ? 0 : ends[slot(size - 1)] - (i == 0 ? start : ends[slot(i - 1)]);
  }

  /** Drops every txn above {@code z} (S7 TRUNC); {@code z} must be known. */
  void truncateAfter(Zxid z) {
    if (z.isBefore(base)) {
      throw new LogGapException("cannot truncate to " + z + ": older than the log base " + base);
    }
    int keep = indexAfter(z);
    for (int i = keep; i < size; i++) {
      txns[slot(i)] = null;
    }
    size = keep;
    considered = Math.min(considered, size);
    last = size == 0 ? base : zxidAt(size - 1);
  }

  /** An installed snapshot replaces the whole log: nothing is held after it yet. */
  void resetTo(Zxid snapshot) {
    Arrays.fill(txns, null);
    head = 0;
    size = 0;
    start = 0;
    considered = 0;
    pages.clear();
    base = snapshot;
    last = snapshot;
  }

  /**
   * Forgets txns up to {@code upTo} (already in a snapshot) but keeps the newest {@code retain} of them, as
   * long as those kept up to {@code upTo} total at most {@code retainBytes} payload bytes: with large txns a
   * count alone would pin hundreds of MiB of heap only to spare a lagging follower a SNAP.
   */
  void compact(Zxid upTo, int retain, long retainBytes) {
    int end = indexAfter(upTo);
    int keepFrom = Math.max(0, size - retain);
    // the oldest txn <= upTo that stays: the smallest first >= keepFrom whose run up to end fits retainBytes
    long endTotal = end == 0 ? start : ends[slot(end - 1)];
    int lo = Math.min(keepFrom, end);
    int hi = end;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      long startOfMid = mid == 0 ? start : ends[slot(mid - 1)];
      if (endTotal - startOfMid <= retainBytes) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    int first = lo;
    if (first > 0) {
      base = zxidAt(first - 1);
      dropOldest(first);
    }
  }

  private void dropOldest(int n) {
    start = ends[slot(n - 1)];
    for (int i = 0; i < n; i++) {
      txns[slot(i)] = null;
    }
    head = slot(n);
    size -= n;
    considered = Math.max(0, considered - n);
    for (int i = 0; i < considered; i++) {
      long at = packedAt[slot(i)];
      if (at >= 0) {
        pages.releaseBefore(at);
        return;
      }
    }
    pages.releaseBefore(pages.end()); // no packed payload left: only the page being filled stays
  }

  /** Packs the oldest unpacked payloads until at most {@code hotBytes} of the newest are left as they came. */
  private void packOlderThanHot() {
    long total = ends[slot(size - 1)];
    while (considered < size) {
      long consideredEnd = considered == 0 ? start : ends[slot(considered - 1)];
      if (total - consideredEnd <= hotBytes) {
        return;
      }
      int s = slot(considered);
      byte[] data = txns[s].data();
      // only application payloads: a packed txn is read back as one, and configuration txns are few and small
      if (!txns[s].isConfig() && PayloadPages.packs(data.length)) {
        packedAt[s] = pages.add(data);
        txns[s] = null;
      }
      considered++;
    }
  }

  /** The held txns with logical indices [from, to), unpacking packed payloads into new arrays. */
  private List<Txn> txnsBetween(int from, int to) {
    if (from >= to) {
      return List.of();
    }
    Txn[] out = new Txn[to - from];
    for (int i = from; i < to; i++) {
      int s = slot(i);
      Txn t = txns[s];
      out[i - from] = t != null ? t : new Txn(new Zxid(zxids[s]), pages.read(packedAt[s], payloadBytes(i)));
    }
    return List.of(out);
  }

  private int payloadBytes(int i) {
    return (int) (ends[slot(i)] - (i == 0 ? start : ends[slot(i - 1)]));
  }

  private Zxid zxidAt(int i) {
    int s = slot(i);
    return txns[s] != null ? txns[s].zxid() : new Zxid(zxids[s]);
  }

  private int slot(int i) {
    int s = head + i;
    return s < txns.length ? s : s - txns.length;
  }

  private void grow() {
    int capacity = txns.length * 2;
    Txn[] t = new Txn[capacity];
    long[] z = new long[capacity];
    long[] e = new long[capacity];
    long[] p = new long[capacity];
    for (int i = 0; i < size; i++) {
      int s = slot(i);
      t[i] = txns[s];
      z[i] = zxids[s];
      e[i] = ends[s];
      p[i] = packedAt[s];
    }
    txns = t;
    zxids = z;
    ends = e;
    packedAt = p;
    head = 0;
  }

  private int indexOf(Zxid z) {
    int i = insertionPoint(z);
    return i < size && zxids[slot(i)] == z.value() ? i : -1;
  }

  /** Index of the first held txn whose zxid is {@code > z}. */
  private int indexAfter(Zxid z) {
    int i = insertionPoint(z);
    return i < size && zxids[slot(i)] == z.value() ? i + 1 : i;
  }

  /** Index of the first held txn whose zxid is {@code >= z}. */
  private int insertionPoint(Zxid z) {
    long v = z.value();
    int lo = 0;
    int hi = size;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (Long.compareUnsigned(zxids[slot(mid)], v) < 0) {
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
