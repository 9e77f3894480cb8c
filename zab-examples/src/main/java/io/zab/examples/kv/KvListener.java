package io.zab.examples.kv;

/**
 * Told what the state machine did, on the apply thread, after the state changed and outside its lock. Must
 * be quick and must not call back into blocking operations of the node.
 */
public interface KvListener {

  /** A lock was granted (at once on acquire, or later to a waiter). */
  default void lockGranted(String lock, long sessionId, long fencingToken) {}

  /** A session was closed or expired. */
  default void sessionEnded(long sessionId) {}
}
