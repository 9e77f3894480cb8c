package io.zab.protocol;

import io.zab.ClusterConfiguration;
import io.zab.Zxid;
import io.zab.wire.Membership;
import io.zab.wire.MembershipCodec;
import io.zab.wire.Txn;
import java.util.Map;
import java.util.TreeMap;

/**
 * One server's memberships along its log (docs/protocol.md, membership): the one in force at the log's base (from
 * the snapshot, or the configured one) and the one each CONFIG txn of the in-memory log brings. The membership in
 * force is the last of them, committed or not, so it is a function of the log alone: appends, truncations,
 * compactions and installed snapshots move it, nothing else.
 */
final class Memberships {
  /** The configured membership: used wherever nothing that came through the log says otherwise. */
  private final Membership configured;
  /** In force at the log's base. */
  private Membership base;
  /** What each CONFIG txn of the in-memory log brings, by zxid. */
  private final TreeMap<Zxid, Membership> changes = new TreeMap<>();
  private long revision;

  Memberships(ClusterConfiguration configured, Membership fromSnapshot) {
    this.configured = Membership.stable(configured);
    this.base = orConfigured(fromSnapshot);
  }

  /**
   * A snapshot's membership, unless it records none or only an initial one (version 0, never through the log):
   * every server's own configured members stand for that, so a restart may still change the initial addresses.
   */
  private Membership orConfigured(Membership fromSnapshot) {
    boolean initial = fromSnapshot == null || (!fromSnapshot.joint() && fromSnapshot.current().version() == 0);
    return initial ? configured : fromSnapshot;
  }

  /** The membership in force: that of the last CONFIG txn in the log. */
  Membership current() {
    return changes.isEmpty() ? base : changes.lastEntry().getValue();
  }

  /** The membership in force right after {@code z} (at or after the log's base). */
  Membership at(Zxid z) {
    Map.Entry<Zxid, Membership> e = changes.floorEntry(z);
    return e == null ? base : e.getValue();
  }

  /** Whether {@code c} is the stable configuration of the base or of a CONFIG txn of the log. */
  boolean holds(ClusterConfiguration c) {
    return base.current().equals(c) || changes.values().stream().anyMatch(m -> m.current().equals(c));
  }

  /** The membership in force right before the CONFIG txn at {@code change}. */
  Membership before(Zxid change) {
    Map.Entry<Zxid, Membership> e = changes.lowerEntry(change);
    return e == null ? base : e.getValue();
  }

  /** The zxid of the last CONFIG txn in the in-memory log, or null if it holds none. */
  Zxid lastChange() {
    return changes.isEmpty() ? null : changes.lastKey();
  }

  /**
   * Where the membership in force comes from, as election notifications tell it (docs/protocol.md, stranded
   * members): the zxid value of the last CONFIG txn of the log, else the version of the base's configuration (for a
   * base recorded mid-change, the version of the configuration being left: lower than the truth, which only makes a
   * peer send its membership needlessly).
   */
  long version() {
    return changes.isEmpty() ? base.current().version() : changes.lastKey().value();
  }

  /**
   * What a CONFIG txn carries.
   *
   * @throws InMemoryLog.LogGapException if its payload is not a membership (the txn is refused like a gap)
   */
  static Membership decode(Txn t) {
    try {
      return MembershipCodec.decode(t.data());
    } catch (IllegalArgumentException e) {
      throw new InMemoryLog.LogGapException("CONFIG txn " + t.zxid() + " does not carry a membership: "
          + e.getMessage());
    }
  }

  /** {@code t} was appended to the log. */
  void appended(Txn t, Membership decoded) {
    changes.put(t.zxid(), decoded);
    revision++;
  }

  /** The log was truncated after {@code z}. */
  void truncatedAfter(Zxid z) {
    changes.tailMap(z, false).clear();
    revision++;
  }

  /** The log no longer holds the txns up to {@code newBase}. */
  void compactedTo(Zxid newBase) {
    base = at(newBase);
    changes.headMap(newBase, true).clear();
    revision++;
  }

  /** A snapshot replaced the log; {@code recorded} is the membership it recorded (null: none). */
  void resetTo(Membership recorded) {
    changes.clear();
    base = orConfigured(recorded);
    revision++;
  }

  /** Changes with every change of what this holds: what was derived from an equal revision is still true. */
  long revision() {
    return revision;
  }
}
