package io.zab.runtime;

/**
 * How much of the log the core holds in memory, as the protocol thread last published it (after every batch),
 * for gauges read on other threads. The two figures may be a batch apart from each other.
 */
final class HeldLog {
  private volatile long txns;
  private volatile long bytes;

  /** Called by the protocol thread only. */
  void publish(long heldTxns, long heldBytes) {
    txns = heldTxns;
    bytes = heldBytes;
  }

  /** Txns held in memory. */
  long txns() {
    return txns;
  }

  /** Their payload bytes. */
  long bytes() {
    return bytes;
  }
}
