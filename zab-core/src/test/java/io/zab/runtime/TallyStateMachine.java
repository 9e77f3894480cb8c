package io.zab.runtime;

import io.zab.ResultStateMachine;
import io.zab.Zxid;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A replicated total that returns results (issue 16): a txn {@code "N"} (optionally {@code "N;padding"}) adds N
 * (any other payload adds nothing) and returns the new {@link Reply.Total}, or a {@link Reply.Refused} (an application error, as a result) if the
 * total would go below zero; {@code "boom"} throws. Each apply returns a new object, remembered weakly, so a test
 * can tell whose apply a result came from and whether anything still holds a result.
 */
public final class TallyStateMachine implements ResultStateMachine<TallyStateMachine.Reply> {
  /** What one apply returns. */
  public sealed interface Reply {
    /** The total after the txn. */
    record Total(long value) implements Reply {}

    /** The txn was refused by the application; the state did not change. */
    record Refused(String why) implements Reply {}
  }

  private long total;
  private int restores;
  private final Map<Zxid, WeakReference<Reply>> replies = new HashMap<>();

  @Override
  public synchronized Reply applyForResult(Zxid zxid, ByteBuffer txn) {
    byte[] b = new byte[txn.remaining()];
    txn.get(b);
    String command = new String(b, StandardCharsets.UTF_8);
    if (command.equals("boom")) {
      throw new IllegalStateException("boom at " + zxid);
    }
    long delta = delta(command);
    Reply reply;
    if (total + delta < 0) {
      reply = new Reply.Refused("the total " + total + " cannot go below zero");
    } else {
      total += delta;
      reply = new Reply.Total(total);
    }
    replies.put(zxid, new WeakReference<>(reply));
    return reply;
  }

  /** {@code "N"} or {@code "N;padding"} adds N; anything else adds nothing. */
  private static long delta(String command) {
    int end = command.indexOf(';');
    try {
      return Long.parseLong(end < 0 ? command : command.substring(0, end));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  public synchronized long total() {
    return total;
  }

  public synchronized int restores() {
    return restores;
  }

  /** The result this state machine's apply of {@code zxid} returned, if something still holds it; else null. */
  public synchronized Reply replyOf(Zxid zxid) {
    WeakReference<Reply> r = replies.get(zxid);
    return r == null ? null : r.get();
  }

  /** How many txns this state machine applied (since start or its last restore). */
  public synchronized int appliedCount() {
    return replies.size();
  }

  /** How many of the results it returned something still holds. */
  public synchronized long resultsStillHeld() {
    return replies.values().stream().filter(r -> r.get() != null).count();
  }

  @Override
  public synchronized void snapshot(OutputStream out) throws IOException {
    new DataOutputStream(out).writeLong(total);
  }

  @Override
  public synchronized void restore(InputStream in) throws IOException {
    total = new DataInputStream(in).readLong();
    replies.clear();
    restores++;
  }

  /**
   * Runs full collections until {@code cleared} holds (a few at most: each {@code System.gc()} is a full, synchronous
   * collection on the JVM's default collector, which clears weak references to unreachable objects).
   */
  public static boolean collectUntil(java.util.function.BooleanSupplier cleared) {
    for (int i = 0; i < 10 && !cleared.getAsBoolean(); i++) {
      System.gc();
    }
    return cleared.getAsBoolean();
  }
}
