package io.zab.protocol;

import java.util.Collection;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/** Majority arithmetic over a fixed voter set. */
final class Quorum {
  private final Set<Long> voters;

  Quorum(Set<Long> voters) {
    this.voters = Collections.unmodifiableSortedSet(new TreeSet<>(voters)); // sorted: deterministic iteration
  }

  Set<Long> voters() {
    return voters;
  }

  boolean isVoter(long sid) {
    return voters.contains(sid);
  }

  int size() {
    return voters.size() / 2 + 1;
  }

  /** Whether the voters among {@code sids} form a majority (non-voters and duplicates are ignored). */
  boolean isQuorum(Collection<Long> sids) {
    return sids.stream().filter(voters::contains).distinct().count() >= size();
  }
}
