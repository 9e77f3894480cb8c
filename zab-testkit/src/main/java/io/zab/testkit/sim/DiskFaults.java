package io.zab.testkit.sim;

/**
 * How a simulated disk behaves. {@link #ACK_BEFORE_FSYNC} and {@link #READS_LOST_EPOCHS_AS_ZERO} are deliberate
 * bugs to prove the checkers can fail.
 */
public enum DiskFaults {
  /** Appends are reported {@code Persisted} only after their fsync completed. */
  CORRECT,
  /** BUG: reports {@code Persisted} as soon as txns are appended, before the fsync (ZOOKEEPER-4646 style). */
  ACK_BEFORE_FSYNC,
  /**
   * BUG: a start that should be refused (every epoch copy lost or damaged, or older than the log) goes on from the
   * best copy, or from epoch 0: the runtime before issue 14, which forgot the promised epoch.
   */
  READS_LOST_EPOCHS_AS_ZERO
}
