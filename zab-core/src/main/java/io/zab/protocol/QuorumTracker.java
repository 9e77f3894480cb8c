package io.zab.protocol;

import io.zab.Zxid;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * The leader's one owner of quorum arithmetic and per-member progress. Every "is this a quorum?", "what zxid does
 * a quorum hold durably?" and "what round did a quorum echo?" of a leadership is answered here, over the
 * {@link Configuration}'s rule; the leader counts itself (with its own durable mark or round) when the rule does.
 *
 * <p>Whether a member counts is a per-member property ({@link Progress#voter}): a voter of the configuration counts
 * unless the leader decides otherwise, observers never do, and neither do the servers the leader tracks outside the
 * configuration (learners it is adding, members it removed and still streams to until they have the change).
 */
final class QuorumTracker {
  private Configuration config;
  private final long self;
  /** Every tracked server but this one, in sid order (deterministic iteration). */
  private final Map<Long, Progress> members = new TreeMap<>();

  QuorumTracker(Configuration config, long self, Set<Long> connected) {
    this.config = config;
    this.self = self;
    reconfigure(config, connected);
  }

  Configuration configuration() {
    return config;
  }

  /**
   * The configuration in force changed (a CONFIG txn was appended): its members are tracked (new ones from now on),
   * each counting if it is a voter of it; members it no longer lists stay tracked, without counting, until the
   * leader {@link #remove}s them.
   */
  void reconfigure(Configuration next, Set<Long> connected) {
    config = next;
    for (Progress p : members.values()) {
      p.voter = false;
    }
    for (long v : next.voters()) {
      if (v != self) {
        track(v, connected).voter = true;
      }
    }
    for (long o : next.observers()) {
      if (o != self) {
        track(o, connected);
      }
    }
  }

  /** Tracks {@code sid} (not counting) if it is not tracked yet; returns its progress. */
  Progress track(long sid, Set<Long> connected) {
    return members.computeIfAbsent(sid, id -> new Progress(id, false, connected.contains(id)));
  }

  /** Stops tracking {@code sid} (a learner given up, or a removed member that has the change). */
  void remove(long sid) {
    members.remove(sid);
  }

  /** Whether {@code sid} is tracked but not a member of the configuration (a learner, or a removed member). */
  boolean outside(long sid) {
    return members.containsKey(sid) && !config.isMember(sid);
  }

  /** The progress of member {@code sid}, or null if it is not a member (or is this server). */
  Progress get(long sid) {
    return members.get(sid);
  }

  /** Every member but this server, in sid order. */
  Collection<Progress> all() {
    return Collections.unmodifiableCollection(members.values());
  }

  /** Whether this server together with the members {@code counted} accepts form a quorum. */
  boolean hasQuorum(Predicate<Progress> counted) {
    Set<Long> sids = new TreeSet<>();
    sids.add(self);
    for (Progress p : members.values()) {
      if (p.counts() && counted.test(p)) {
        sids.add(p.sid);
      }
    }
    return config.isQuorum(sids);
  }

  /** The highest zxid durable on a quorum of this server ({@code selfDurable}) and its synced members; null if none. */
  Zxid quorumDurable(Zxid selfDurable) {
    Map<Long, Zxid> durable = new TreeMap<>();
    durable.put(self, selfDurable);
    for (Progress p : members.values()) {
      if (p.counts() && p.synced()) {
        durable.put(p.sid, p.acked);
      }
    }
    return config.highestHeldByQuorum(durable, Comparator.naturalOrder());
  }

  /** The highest read-barrier round echoed by a quorum of this server ({@code selfRound}) and its synced members. */
  long quorumEchoedRound(long selfRound) {
    return quorumValue(selfRound, Progress::synced, p -> p.echoedRound);
  }

  private long quorumValue(long selfValue, Predicate<Progress> counted, ToLongFunction<Progress> value) {
    Map<Long, Long> values = new TreeMap<>();
    values.put(self, selfValue);
    for (Progress p : members.values()) {
      if (p.counts() && counted.test(p)) {
        values.put(p.sid, value.applyAsLong(p));
      }
    }
    Long v = config.highestHeldByQuorum(values, Comparator.naturalOrder());
    return v == null ? Long.MIN_VALUE : v;
  }

  /** Read-only views of every member's progress at leader tick {@code now}. */
  List<FollowerProgress> views(long now) {
    List<FollowerProgress> out = new ArrayList<>();
    members.values().forEach(p -> out.add(p.view(now)));
    return List.copyOf(out);
  }
}
