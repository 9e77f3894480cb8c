package io.zab.examples.kv;

import java.util.List;

/**
 * What applying one {@link Command} did. Computed identically on every replica; the node that submitted the
 * txn hands it to the waiting client.
 */
public sealed interface Outcome {

  /** {@code previous} is null when the key was absent. */
  record Written(String key, long version, String previous) implements Outcome {}

  /** {@code previous} is null when the key was absent (nothing deleted). */
  record Deleted(String key, String previous) implements Outcome {}

  /** {@code current} is the value after the operation (null: absent), {@code version} its version (0: absent). */
  record CasResult(String key, boolean swapped, String current, long version) implements Outcome {}

  record SessionOpened(long sessionId, long timeoutMillis) implements Outcome {}

  /** Heartbeats applied; {@code unknown} lists the sessions that no longer exist. */
  record SessionsTouched(List<Long> unknown) implements Outcome {
    public SessionsTouched {
      unknown = List.copyOf(unknown);
    }
  }

  record SessionClosed(long sessionId, boolean existed) implements Outcome {}

  record Ticked(long clockMillis, List<Long> expired) implements Outcome {
    public Ticked {
      expired = List.copyOf(expired);
    }
  }

  /** The session holds the lock; {@code fencingToken} is the zxid value of the granting txn. */
  record LockGranted(String lock, long sessionId, long fencingToken) implements Outcome {}

  /** Waiting in FIFO order at a 1-based position. */
  record LockQueued(String lock, long sessionId, int position) implements Outcome {}

  /** Held by another session (try-acquire). */
  record LockBusy(String lock, long holderSessionId) implements Outcome {}

  record LockReleased(String lock, long sessionId) implements Outcome {}

  /** A release by a session that does not hold the lock; {@code holderSessionId} is 0 if free. */
  record NotLockHolder(String lock, long sessionId, long holderSessionId) implements Outcome {}

  /** A wait was cancelled before the lock was granted. */
  record NotAcquired(String lock, long sessionId) implements Outcome {}

  /** The command names a session that does not exist (never opened, closed or expired). */
  record UnknownSession(long sessionId) implements Outcome {}

  /** The txn did not decode; every replica skips it the same way. */
  record Malformed(String reason) implements Outcome {}
}
