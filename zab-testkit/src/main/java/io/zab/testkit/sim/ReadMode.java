package io.zab.testkit.sim;

/** How the workload's clients read. {@link #LOCAL_WITHOUT_BARRIER} is a deliberate bug for checker tests. */
public enum ReadMode {
  /** Read barrier (node.sync()) first, then read the local state machine: linearizable. */
  AFTER_BARRIER,
  /** BUG: read the local state machine directly (S9 plain reads); may be stale, so not linearizable. */
  LOCAL_WITHOUT_BARRIER
}
