package io.zab.runtime;

import io.zab.metrics.NodeMetrics;

/**
 * Measures commit latency per batch, not per txn: when a batch is appended its last zxid and the time are noted
 * (two longs in a ring, no allocation once the ring has grown to the number of batches in flight); when a commit
 * covers that zxid, one duration is recorded for the batch. Protocol thread only.
 */
final class CommitClock {
  private long[] zxids = new long[64];
  private long[] times = new long[64];
  private int head;
  private int size;

  /** A batch ending at zxid {@code lastZxid} (its raw value) was appended at {@code now}. */
  void appended(long lastZxid, long now) {
    if (size == zxids.length) {
      grow();
    }
    int i = (head + size) & (zxids.length - 1);
    zxids[i] = lastZxid;
    times[i] = now;
    size++;
  }

  /** Everything up to {@code committedZxid} is committed at {@code now}: one record per batch it completes. */
  void committed(long committedZxid, long now, NodeMetrics.Timer latency) {
    while (size > 0 && Long.compareUnsigned(zxids[head], committedZxid) <= 0) {
      latency.recordNanos(now - times[head]);
      head = (head + 1) & (zxids.length - 1);
      size--;
    }
  }

  /**
   * Forgets every pending batch: the log was truncated or replaced, or the role changed, so they may never commit
   * here as appended (and a batch committed much later would record a meaningless latency).
   */
  void clear() {
    head = 0;
    size = 0;
  }

  /** Batches waiting for their commit. */
  int pending() {
    return size;
  }

  private void grow() {
    int n = zxids.length;
    long[] z = new long[2 * n];
    long[] t = new long[2 * n];
    for (int k = 0; k < size; k++) {
      z[k] = zxids[(head + k) & (n - 1)];
      t[k] = times[(head + k) & (n - 1)];
    }
    zxids = z;
    times = t;
    head = 0;
  }
}
