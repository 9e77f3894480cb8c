package io.zab.testkit.sim;

import io.zab.Zxid;
import io.zab.wire.Txn;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one committed history every server must deliver a prefix of, built from the deliveries themselves,
 * with the Zab.tla invariants checked on every delivery:
 * <ul>
 *   <li>Agreement / PrefixConsistency: the i-th txn a server delivers is the i-th txn of the history;</li>
 *   <li>TotalOrder / GlobalPrimaryOrder: the history's zxids strictly increase;</li>
 *   <li>LocalPrimaryOrder: within an epoch the history's counters have no gaps (a leader's txns are
 *       delivered in the order it proposed them);</li>
 *   <li>Integrity: only submitted payloads are delivered, each at most once, and never one whose request
 *       was rejected as not proposed;</li>
 *   <li>AcknowledgedWriteLost: a server delivers past an acknowledged write without having it.</li>
 * </ul>
 */
public final class CommittedHistory {
  private final Violations violations;
  private final List<Txn> history = new ArrayList<>();
  private final Map<Long, Integer> indexOfZxid = new HashMap<>();
  private final Map<ByteBuffer, Zxid> committedPayloads = new HashMap<>();
  private final Set<ByteBuffer> submitted = new HashSet<>();
  private final Set<ByteBuffer> rejected = new HashSet<>();
  private final Set<Long> acknowledged = new HashSet<>();
  private final int[] next;
  private final boolean uniquePayloads;

  /**
   * An empty history.
   *
   * @param servers number of servers, ids 1..servers
   * @param violations where it reports a broken invariant
   * @param uniquePayloads whether every submitted payload is distinct (the random workload's are), which
   *     enables the at-most-once and rejected-never-committed parts of Integrity
   */
  public CommittedHistory(int servers, Violations violations, boolean uniquePayloads) {
    this.violations = violations;
    this.next = new int[servers + 1];
    this.uniquePayloads = uniquePayloads;
  }

  /**
   * The length of the committed history so far.
   *
   * @return the number of txns in it
   */
  public int size() {
    return history.size();
  }

  /**
   * The committed history so far, in order.
   *
   * @return a copy of its txns
   */
  public List<Txn> txns() {
    return List.copyOf(history);
  }

  /**
   * How many history txns {@code server} has applied.
   *
   * @param server the server's id
   * @return the length of the prefix it has applied
   */
  public int appliedBy(long server) {
    return next[(int) server];
  }

  /**
   * The zxids of the writes acknowledged to their clients so far.
   *
   * @return a copy: each zxid's {@link Zxid#value()}
   */
  public Set<Long> acknowledgedZxids() {
    return Set.copyOf(acknowledged);
  }

  /**
   * A client submitted this payload (Integrity: only these may be delivered).
   *
   * @param payload the write's payload (copied)
   */
  public void submitted(byte[] payload) {
    submitted.add(ByteBuffer.wrap(payload.clone()));
  }

  /**
   * The request carrying {@code payload} was rejected as never proposed.
   *
   * @param server the server that rejected it
   * @param payload the write's payload
   */
  public void rejected(long server, byte[] payload) {
    if (!uniquePayloads) {
      return;
    }
    ByteBuffer key = ByteBuffer.wrap(payload.clone());
    rejected.add(key);
    Zxid z = committedPayloads.get(key);
    if (z != null) {
      violations.report("Integrity", server, "a write rejected as not proposed was committed at " + z);
    }
  }

  /**
   * {@code server} restarted from (or installed) a snapshot of the history up to {@code zxid}.
   *
   * @param server the server's id
   * @param zxid the snapshot's zxid
   */
  public void restored(long server, Zxid zxid) {
    if (zxid.equals(Zxid.ZERO)) {
      next[(int) server] = 0;
      return;
    }
    Integer i = indexOfZxid.get(zxid.value());
    if (i == null) {
      violations.report("Integrity", server, "snapshot at " + zxid + " is not a point of the committed history");
      return;
    }
    next[(int) server] = i + 1;
  }

  /**
   * {@code server} delivered {@code txn} to its state machine.
   *
   * @param server the server's id
   * @param txn the txn delivered
   */
  public void delivered(long server, Txn txn) {
    int i = next[(int) server];
    if (i < history.size()) {
      Txn expected = history.get(i);
      if (!expected.equals(txn)) {
        mismatch(server, i, expected, txn);
        return;
      }
    } else {
      append(server, txn);
    }
    next[(int) server] = i + 1;
  }

  private void mismatch(long server, int i, Txn expected, Txn got) {
    if (expected.zxid().equals(got.zxid())) {
      violations.report("Agreement", server, "delivered " + describe(got) + " but another server delivered "
          + describe(expected) + " at the same zxid");
    } else if (acknowledged.contains(expected.zxid().value()) && got.zxid().isAfter(expected.zxid())) {
      violations.report("AcknowledgedWriteLost", server, "delivered " + describe(got) + " without the acknowledged "
          + describe(expected) + " (history position " + i + ")");
    } else {
      violations.report("PrefixConsistency", server, "delivered " + describe(got) + " at history position " + i
          + " where the committed history has " + describe(expected));
    }
  }

  private void append(long server, Txn txn) {
    if (!history.isEmpty()) {
      Zxid last = history.get(history.size() - 1).zxid();
      if (!txn.zxid().isAfter(last)) {
        violations.report("TotalOrder", server, "delivered " + txn.zxid() + " after " + last);
      } else if (txn.zxid().epoch() == last.epoch() && txn.zxid().counter() != last.counter() + 1) {
        violations.report("LocalPrimaryOrder", server, "delivered " + txn.zxid() + " after " + last
            + ": a txn of epoch " + last.epoch() + " was skipped");
      }
    }
    ByteBuffer key = ByteBuffer.wrap(txn.data());
    if (txn.isConfig()) { // zab's own configuration changes: agreement and order apply, client integrity does not
      indexOfZxid.put(txn.zxid().value(), history.size());
      history.add(txn);
      return;
    }
    if (!submitted.contains(key)) {
      violations.report("Integrity", server, "delivered " + describe(txn) + " which no client submitted");
    }
    if (uniquePayloads && rejected.contains(key)) {
      violations.report("Integrity", server, "delivered " + describe(txn) + " whose request was rejected as not proposed");
    }
    Zxid earlier = committedPayloads.putIfAbsent(key, txn.zxid());
    if (earlier != null && uniquePayloads) {
      violations.report("Integrity", server, "payload of " + describe(txn) + " was already committed at " + earlier);
    }
    indexOfZxid.put(txn.zxid().value(), history.size());
    history.add(txn);
  }

  /**
   * A write completed (was acknowledged to its client) at {@code zxid} on {@code server}.
   *
   * @param server the server that acknowledged it
   * @param zxid the zxid it completed at
   * @param payload the write's payload
   */
  public void acknowledged(long server, Zxid zxid, byte[] payload) {
    Integer i = indexOfZxid.get(zxid.value());
    if (i == null || !history.get(i).equals(new Txn(zxid, payload)) || next[(int) server] <= i) {
      violations.report("Integrity", server, "write acknowledged at " + zxid
          + " before this server applied that payload at that zxid");
      return;
    }
    acknowledged.add(zxid.value());
  }

  private static String describe(Txn t) {
    return t.zxid() + " '" + new String(t.data(), java.nio.charset.StandardCharsets.UTF_8) + "'";
  }
}
