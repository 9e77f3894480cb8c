package io.zab.protocol;

import io.zab.ClusterConfiguration;
import io.zab.wire.Membership;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who takes part in the ensemble and what counts as a quorum. Every quorum question of the core goes through
 * {@link #isQuorum(Set)} (directly, or through {@link QuorumTracker}), so a joint configuration during a change of
 * the voter set (a quorum of the old voters AND of the new, {@link Joint}) stands in without touching the callers.
 * This is the only place with majority arithmetic.
 */
interface Configuration {

  /** The version of the (stable) configuration this rule comes from. */
  long version();

  /** The voting members, in ascending order (deterministic iteration); during a change, of either side. */
  Set<Long> voters();

  /** Members that receive the log but never count for a quorum. */
  Set<Long> observers();

  /** Whether the members among {@code sids} form a quorum (non-members are ignored). */
  boolean isQuorum(Set<Long> sids);

  default boolean isVoter(long sid) {
    return voters().contains(sid);
  }

  default boolean isMember(long sid) {
    return voters().contains(sid) || observers().contains(sid);
  }

  /** Whether every voter is among {@code sids}. */
  default boolean allVoters(Set<Long> sids) {
    return sids.containsAll(voters());
  }

  /**
   * The greatest value {@code v} such that the members holding a value {@code >= v} form a quorum, or null when
   * even all of them together do not. Works for any quorum rule in which a superset of a quorum is a quorum.
   */
  default <T> T highestHeldByQuorum(Map<Long, T> values, Comparator<? super T> order) {
    TreeSet<T> candidates = new TreeSet<>(order);
    candidates.addAll(values.values());
    for (T candidate : candidates.descendingSet()) {
      Set<Long> holders = new TreeSet<>();
      values.forEach((sid, v) -> {
        if (order.compare(v, candidate) >= 0) {
          holders.add(sid);
        }
      });
      if (isQuorum(holders)) {
        return candidate;
      }
    }
    return null;
  }

  /** A fixed set of voters and a majority rule. */
  static Configuration majority(long version, Set<Long> voters, Set<Long> observers) {
    return new Majority(version, voters, observers);
  }

  /** The quorum rule of a membership: a majority of its voters, or, while joint, a majority of each side's. */
  static Configuration of(Membership m) {
    Configuration current = of(m.current());
    return m.joint() ? new Joint(current, of(m.next())) : current;
  }

  private static Configuration of(ClusterConfiguration c) {
    return new Majority(c.version(), c.voterIds(), c.observerIds());
  }

  /** During a change of the voter set: a quorum needs a quorum of the old configuration and one of the new. */
  record Joint(Configuration old, Configuration next) implements Configuration {
    @Override
    public long version() {
      return old.version();
    }

    @Override
    public Set<Long> voters() {
      Set<Long> all = new TreeSet<>(old.voters());
      all.addAll(next.voters());
      return java.util.Collections.unmodifiableSet(all);
    }

    @Override
    public Set<Long> observers() {
      Set<Long> all = new TreeSet<>(old.observers());
      all.addAll(next.observers());
      all.removeAll(voters());
      return java.util.Collections.unmodifiableSet(all);
    }

    @Override
    public boolean isQuorum(Set<Long> sids) {
      return old.isQuorum(sids) && next.isQuorum(sids);
    }
  }

  /** Majority of a fixed voter set: more than half of the voters. */
  record Majority(long version, Set<Long> voters, Set<Long> observers) implements Configuration {
    public Majority {
      voters = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(voters));
      observers = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(observers));
      if (voters.isEmpty()) {
        throw new IllegalArgumentException("a configuration needs at least one voter");
      }
      for (long o : observers) {
        if (voters.contains(o)) {
          throw new IllegalArgumentException("server " + o + " is both a voter and an observer");
        }
      }
    }

    @Override
    public boolean isQuorum(Set<Long> sids) {
      int counted = 0;
      for (Long sid : sids) {
        if (voters.contains(sid)) {
          counted++;
        }
      }
      return counted > voters.size() / 2;
    }

    /**
     * The same answer as the general rule, computed on the leader's commit path without a set per candidate: the
     * voters' values in descending order, the one at the position of the smallest majority.
     */
    @Override
    public <T> T highestHeldByQuorum(Map<Long, T> values, Comparator<? super T> order) {
      Object[] held = new Object[values.size()];
      int n = 0;
      for (Map.Entry<Long, T> e : values.entrySet()) {
        if (voters.contains(e.getKey())) {
          held[n++] = e.getValue();
        }
      }
      int majority = voters.size() / 2 + 1;
      if (n < majority) {
        return null;
      }
      @SuppressWarnings("unchecked")
      T[] sorted = (T[]) java.util.Arrays.copyOf(held, n);
      java.util.Arrays.sort(sorted, order.reversed());
      return sorted[majority - 1];
    }
  }
}
