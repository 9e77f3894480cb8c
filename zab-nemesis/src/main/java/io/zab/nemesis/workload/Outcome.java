package io.zab.nemesis.workload;

/** How an operation ended, as far as the client can know. */
public enum Outcome {
  /** The cluster answered with the operation's result. */
  OK,
  /** A compare-and-set the cluster applied without swapping: the value was not the expected one. */
  MISMATCH,
  /** Certainly not applied: the node refused it before proposing it, or it never reached a node. */
  FAIL,
  /** May or may not have been applied (timeout, connection lost after sending, outcome unknown). */
  UNKNOWN;

  /** Whether the cluster gave a definite answer that it executed the operation. */
  public boolean definite() {
    return this == OK || this == MISMATCH;
  }
}
