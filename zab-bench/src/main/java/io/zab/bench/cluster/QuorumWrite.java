package io.zab.bench.cluster;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One record written to several logs at once (as a leader's proposal goes to every server's log): it is committed
 * when {@code quorum} of them have made it durable, i.e. at the quorum-th fastest durability, whatever the others do.
 */
final class QuorumWrite {

  private final int quorum;
  private final AtomicInteger durable = new AtomicInteger();

  QuorumWrite(int quorum) {
    if (quorum < 1) {
      throw new IllegalArgumentException("quorum must be >= 1, got " + quorum);
    }
    this.quorum = quorum;
  }

  /** Counts one log's durability (any thread); true for exactly the call that completes the quorum. */
  boolean durable() {
    return durable.incrementAndGet() == quorum;
  }

  /** The latency at which {@code quorum} of the logs had the record: the quorum-th smallest of {@code perLog}. */
  static long quorumLatency(long[] perLog, int quorum) {
    if (quorum < 1 || quorum > perLog.length) {
      throw new IllegalArgumentException("quorum " + quorum + " of " + perLog.length + " logs");
    }
    long[] sorted = perLog.clone();
    Arrays.sort(sorted);
    return sorted[quorum - 1];
  }
}
