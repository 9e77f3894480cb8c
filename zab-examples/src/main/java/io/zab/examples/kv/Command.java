package io.zab.examples.kv;

import java.util.List;
import java.util.Objects;

/**
 * A write to the replicated state: the content of one txn. Every replica applies the same commands in zxid
 * order, and each command's effect depends only on its fields and the state (never on a local clock), so
 * every replica reaches the same state.
 */
public sealed interface Command {

  /** Sets {@code key} to {@code value}. */
  record Put(String key, String value) implements Command {
    public Put {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
    }
  }

  /** Removes {@code key}. */
  record Delete(String key) implements Command {
    public Delete {
      Objects.requireNonNull(key, "key");
    }
  }

  /** Sets {@code key} to {@code value} only if its current value equals {@code expected} (null: absent). */
  record CompareAndSet(String key, String expected, String value) implements Command {
    public CompareAndSet {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
    }
  }

  /** Opens a session (S9); its id is the zxid of this txn. */
  record OpenSession(long timeoutMillis) implements Command {
    public OpenSession {
      if (timeoutMillis <= 0) {
        throw new IllegalArgumentException("session timeout must be positive, got " + timeoutMillis);
      }
    }
  }

  /** Heartbeats of many sessions, batched by one node into one txn. */
  record TouchSessions(List<Long> sessionIds) implements Command {
    public TouchSessions {
      sessionIds = List.copyOf(sessionIds);
    }
  }

  /** Ends a session: its locks go to their next waiters. */
  record CloseSession(long sessionId) implements Command {}

  /**
   * A clock reading by the leader's node program. The state machine's session clock advances by the
   * difference between consecutive readings of the same source (a process, within one epoch), at most
   * {@code maxAdvanceMillis} per tick, and expires idle sessions. Readings of different sources are never
   * compared, so clocks of different machines need not agree.
   */
  record Tick(long sourceTag, long clockMillis, long maxAdvanceMillis) implements Command {
    public Tick {
      if (maxAdvanceMillis < 0) {
        throw new IllegalArgumentException("maxAdvanceMillis must not be negative, got " + maxAdvanceMillis);
      }
    }
  }

  /** Acquires {@code lock} for a session; if it is held, waits in FIFO order ({@code queue}) or fails. */
  record Acquire(String lock, long sessionId, boolean queue) implements Command {
    public Acquire {
      Objects.requireNonNull(lock, "lock");
    }
  }

  /** Releases {@code lock} held by a session; the next waiter gets it. */
  record Release(String lock, long sessionId) implements Command {
    public Release {
      Objects.requireNonNull(lock, "lock");
    }
  }

  /** Stops waiting for {@code lock} (a client gave up); reports a grant that happened first. */
  record CancelWait(String lock, long sessionId) implements Command {
    public CancelWait {
      Objects.requireNonNull(lock, "lock");
    }
  }
}
