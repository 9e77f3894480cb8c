package io.zab.protocol;

import io.zab.Zxid;
import io.zab.protocol.Action.Complete;
import io.zab.protocol.Action.Reject;
import io.zab.protocol.Event.Submit;
import io.zab.wire.Message.RejectCode;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * The client requests of this server that are not answered yet: writes waiting for their zxid to commit,
 * writes forwarded to the leader without a reply yet, read barriers, and writes held back while the ensemble
 * moves to a new epoch (counter exhaustion, ZOOKEEPER-1277).
 */
final class PendingRequests {
  private record Waiting(long requestId, Zxid zxid, boolean barrier, long seq) implements Comparable<Waiting> {
    @Override
    public int compareTo(Waiting o) {
      int c = zxid.compareTo(o.zxid);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  /**
   * Requests with a known zxid (a write's own, or a read barrier's target), by zxid then arrival, in two queues:
   * those that arrived in zxid order (every write on a leader, and on a follower the replies of its leader) in a
   * FIFO queue, the few others (a barrier behind a write) in a priority queue. Ordered as one queue would be.
   */
  private final ArrayDeque<Waiting> inOrder = new ArrayDeque<>();
  private final PriorityQueue<Waiting> outOfOrder = new PriorityQueue<>();
  private long seq;
  /** The largest zxid (unsigned): every waiting request is at or below it. */
  private static final Zxid LAST = new Zxid(-1L);
  /** Forwarded writes (Request sent, with its body bytes) and barriers (SyncRequest sent) without a reply yet. */
  private final LinkedHashMap<Long, Long> forwardedWrites = new LinkedHashMap<>();
  /** Body bytes of {@link #forwardedWrites}. */
  private long forwardedBytes;
  private final LinkedHashSet<Long> forwardedBarriers = new LinkedHashSet<>();
  private final ArrayDeque<Submit> held = new ArrayDeque<>();
  private boolean holding;

  /** Completes write {@code requestId} once {@code zxid} is committed . */
  void awaitCommit(long requestId, Zxid zxid) {
    await(new Waiting(requestId, zxid, false, seq++));
  }

  /** Completes read barrier {@code requestId} once {@code zxid} is committed here. */
  void awaitBarrier(long requestId, Zxid zxid) {
    await(new Waiting(requestId, zxid, true, seq++));
  }

  private void await(Waiting w) {
    if (inOrder.isEmpty() || !inOrder.peekLast().zxid().isAfter(w.zxid())) {
      inOrder.addLast(w);
    } else {
      outOfOrder.add(w);
    }
  }

  /** The first waiting request by (zxid, arrival) if its zxid is at most {@code upTo}, removed; else null. */
  private Waiting pollUpTo(Zxid upTo) {
    Waiting a = inOrder.peekFirst();
    Waiting b = outOfOrder.peek();
    Waiting first = a == null ? b : b == null ? a : a.compareTo(b) <= 0 ? a : b;
    if (first == null || first.zxid().isAfter(upTo)) {
      return null;
    }
    return first == a ? inOrder.pollFirst() : outOfOrder.poll();
  }

  /**
   * Whether a write of {@code bytes} may be forwarded to the leader: the writes forwarded without a reply yet stay
   * within {@code maxCount} and {@code maxBytes} (one alone is always allowed), so a burst of submits on a follower
   * cannot overflow its own connection to the leader (issue 10 item 2).
   */
  boolean mayForward(long bytes, int maxCount, long maxBytes) {
    return forwardedWrites.size() < maxCount && (forwardedWrites.isEmpty() || forwardedBytes + bytes <= maxBytes);
  }

  void forwardedWrite(long requestId, long bytes) {
    forwardedWrites.put(requestId, bytes);
    forwardedBytes += bytes;
  }

  void forwardedBarrier(long requestId) {
    forwardedBarriers.add(requestId);
  }

  /** A forwarded write or barrier got its reply; false if it is unknown (answered already or stale). */
  boolean replied(long requestId) {
    Long bytes = forwardedWrites.remove(requestId);
    if (bytes != null) {
      forwardedBytes -= bytes;
    }
    return bytes != null | forwardedBarriers.remove(requestId);
  }

  /** Emits a Complete for every request whose zxid is now committed. */
  void completeUpTo(Zxid committed, Consumer<Action> out) {
    for (Waiting w = pollUpTo(committed); w != null; w = pollUpTo(committed)) {
      out.accept(new Complete(w.requestId(), w.zxid()));
    }
  }

  /**
   * This server leaves its role: writes that left the node may or may not commit (OUTCOME_UNKNOWN); read
   * barriers simply failed (NO_QUORUM). Held writes stay held.
   */
  void failAll(Consumer<Action> out) {
    for (Waiting w = pollUpTo(LAST); w != null; w = pollUpTo(LAST)) {
      RejectCode code = w.barrier() ? RejectCode.NO_QUORUM : RejectCode.OUTCOME_UNKNOWN;
      out.accept(new Reject(w.requestId(), code, 0));
    }
    forwardedWrites.keySet().forEach(id -> out.accept(new Reject(id, RejectCode.OUTCOME_UNKNOWN, 0)));
    forwardedWrites.clear();
    forwardedBytes = 0;
    forwardedBarriers.forEach(id -> out.accept(new Reject(id, RejectCode.NO_QUORUM, 0)));
    forwardedBarriers.clear();
  }

  /** Starts holding writes submitted until the next leader is established (counter exhaustion). */
  void startHolding() {
    holding = true;
  }

  boolean holding() {
    return holding;
  }

  /** Holds {@code s}; false when {@code limit} writes are held already. */
  boolean hold(Submit s, int limit) {
    if (held.size() >= limit) {
      return false;
    }
    held.add(s);
    return true;
  }

  /** Takes every held write (to propose or forward them) and stops holding. */
  List<Submit> releaseHeld() {
    List<Submit> out = List.copyOf(held);
    held.clear();
    holding = false;
    return out;
  }

  int heldCount() {
    return held.size();
  }
}
