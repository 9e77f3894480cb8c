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
 * {@link Configuration}'s rule; the leader always counts itself (with its own durable mark or round).
 */
final class QuorumTracker {
  private final Configuration config;
  private final long self;
  /** Every member but this server, in sid order (deterministic iteration). */
  private final Map<Long, Progress> members = new TreeMap<>();

  QuorumTracker(Configuration config, long self, Set<Long> connected) {
    this.config = config;
    this.self = self;
    for (long v : config.voters()) {
      if (v != self) {
        members.put(v, new Progress(v, true, connected.contains(v)));
      }
    }
    for (long o : config.observers()) {
      members.put(o, new Progress(o, false, connected.contains(o)));
    }
  }

  Configuration configuration() {
    return config;
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
      if (counted.test(p)) {
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
      if (p.synced()) {
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
      if (counted.test(p)) {
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
