package io.zab.nemesis.workload;

/** What a client operation does. */
public enum OpKind {
  /** A linearizable read ({@code GET /kv/k?consistent=true}) of a register key. */
  READ,
  /** A put of a unique value to a register key. */
  PUT,
  /** A compare-and-set of a register key from the value this client last saw to a unique value. */
  CAS,
  /** A put to a key of its own, written once: the lost-write check's set element. */
  ADD
}
