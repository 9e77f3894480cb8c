package io.zab.examples.lock;

import io.zab.examples.codec.BinaryIn;
import io.zab.examples.codec.BinaryOut;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Distributed locks (S11): one holder per lock, waiters served in FIFO order, and every grant stamped with a
 * fencing token, the zxid value of the txn that granted it. Zxids only grow, so each lock's tokens strictly
 * increase: a resource guarded by the lock rejects any request whose token is lower than one it has seen.
 *
 * <p>Pure and deterministic; not thread-safe (the owning state machine serializes). Sessions are not checked
 * here: the caller passes only live sessions and calls {@link #sessionEnded} when one ends.
 */
public final class LockTable {

  /** A lock given to a session. */
  public record Grant(String lock, long sessionId, long fencingToken) {}

  /** What a client sees of a lock. {@code holder} is 0 when free. */
  public record LockView(String lock, long holder, long fencingToken, List<Long> waiters) {}

  /** The result of an acquire: granted (now or earlier), queued at a 1-based position, or busy. */
  public sealed interface AcquireResult {
    record Granted(Grant grant, boolean alreadyHeld) implements AcquireResult {}

    record Queued(int position) implements AcquireResult {}

    record Busy(long holder) implements AcquireResult {}
  }

  /** The result of a release: done (perhaps granting the lock to the next waiter), or refused. */
  public sealed interface ReleaseResult {
    record Released(Optional<Grant> next) implements ReleaseResult {}

    /** {@code holder} is 0 when the lock is free. */
    record NotHolder(long holder) implements ReleaseResult {}
  }

  private static final class State {
    long holder;
    long token;
    final ArrayDeque<Long> waiters = new ArrayDeque<>();
  }

  private final TreeMap<String, State> locks = new TreeMap<>();

  /**
   * Acquires {@code lock} for {@code session} in the txn {@code zxid}. A holder asking again gets its
   * current grant; a waiter asking again keeps its place.
   */
  public AcquireResult acquire(String lock, long session, boolean wait, long zxid) {
    State s = locks.computeIfAbsent(lock, k -> new State());
    if (s.holder == 0) {
      s.holder = session;
      s.token = zxid;
      return new AcquireResult.Granted(new Grant(lock, session, zxid), false);
    }
    if (s.holder == session) {
      return new AcquireResult.Granted(new Grant(lock, session, s.token), true);
    }
    if (!wait) {
      return new AcquireResult.Busy(s.holder);
    }
    if (!s.waiters.contains(session)) {
      s.waiters.addLast(session);
    }
    return new AcquireResult.Queued(position(s, session));
  }

  /**
   * Releases {@code lock} if {@code session} holds it, granting it to the next waiter in txn {@code zxid}.
   *
   */
  public ReleaseResult release(String lock, long session, long zxid) {
    State s = locks.get(lock);
    if (s == null || s.holder != session) {
      return new ReleaseResult.NotHolder(s == null ? 0 : s.holder);
    }
    return new ReleaseResult.Released(handOver(lock, s, zxid));
  }

  /** Removes {@code session} from the queue of {@code lock}; returns its grant if it got the lock first. */
  public Optional<Grant> cancelWait(String lock, long session) {
    State s = locks.get(lock);
    if (s == null) {
      return Optional.empty();
    }
    if (s.holder == session) {
      return Optional.of(new Grant(lock, session, s.token));
    }
    s.waiters.remove(session);
    return Optional.empty();
  }

  /** A session ended (closed or expired): it leaves every queue, and its locks go to their next waiters. */
  public List<Grant> sessionEnded(long session, long zxid) {
    List<Grant> grants = new ArrayList<>();
    for (String lock : List.copyOf(locks.keySet())) {
      State s = locks.get(lock);
      s.waiters.remove(session);
      if (s.holder == session) {
        handOver(lock, s, zxid).ifPresent(grants::add);
      }
    }
    return grants;
  }

  public Optional<LockView> view(String lock) {
    State s = locks.get(lock);
    return s == null ? Optional.empty() : Optional.of(view(lock, s));
  }

  public List<LockView> all() {
    List<LockView> views = new ArrayList<>();
    locks.forEach((name, s) -> views.add(view(name, s)));
    return views;
  }

  private Optional<Grant> handOver(String lock, State s, long zxid) {
    Long next = s.waiters.pollFirst();
    if (next == null) {
      locks.remove(lock);
      return Optional.empty();
    }
    s.holder = next;
    s.token = zxid;
    return Optional.of(new Grant(lock, next, zxid));
  }

  private static int position(State s, long session) {
    int i = 1;
    for (long w : s.waiters) {
      if (w == session) {
        return i;
      }
      i++;
    }
    throw new IllegalStateException("session " + session + " not queued");
  }

  private static LockView view(String lock, State s) {
    return new LockView(lock, s.holder, s.token, List.copyOf(s.waiters));
  }

  public void writeTo(BinaryOut out) throws IOException {
    out.writeInt(locks.size());
    for (var e : locks.entrySet()) {
      State s = e.getValue();
      out.writeString(e.getKey()).writeLong(s.holder).writeLong(s.token).writeInt(s.waiters.size());
      for (long w : s.waiters) {
        out.writeLong(w);
      }
    }
  }

  public static LockTable readFrom(BinaryIn in) throws IOException {
    LockTable t = new LockTable();
    int n = in.readCount("locks.count", Integer.MAX_VALUE);
    for (int i = 0; i < n; i++) {
      String field = "locks[" + i + "]";
      String name = in.readString(field + ".name");
      State s = new State();
      s.holder = in.readLong(field + ".holder");
      s.token = in.readLong(field + ".token");
      int waiters = in.readCount(field + ".waiters.count", Integer.MAX_VALUE);
      for (int w = 0; w < waiters; w++) {
        s.waiters.addLast(in.readLong(field + ".waiters[" + w + "]"));
      }
      t.locks.put(name, s);
    }
    return t;
  }
}
