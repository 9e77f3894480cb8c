package io.zab.testkit.sim;

/** How a simulated disk behaves. {@link #ACK_BEFORE_FSYNC} is a deliberate bug to prove the checkers can fail. */
public enum DiskFaults {
  /** Appends are reported {@code Persisted} only after their fsync completed. */
  CORRECT,
  /** BUG: reports {@code Persisted} as soon as txns are appended, before the fsync (ZOOKEEPER-4646 style). */
  ACK_BEFORE_FSYNC
}
