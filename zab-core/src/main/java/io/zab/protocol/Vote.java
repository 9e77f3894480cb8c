package io.zab.protocol;

import io.zab.Zxid;
import java.util.Comparator;
import java.util.Objects;

/**
 * An election vote (S2, S4): the proposed leader, its last zxid and its current epoch.
 *
 * @param leader the proposed leader's sid
 * @param zxid the proposed leader's last logged zxid
 * @param peerEpoch the proposed leader's current epoch
 */
public record Vote(long leader, Zxid zxid, long peerEpoch) {

  /** S4: the larger epoch wins, then the larger zxid, then the larger sid. */
  public static final Comparator<Vote> ORDER = Comparator.comparingLong(Vote::peerEpoch)
      .thenComparing(Vote::zxid)
      .thenComparingLong(Vote::leader);

  public Vote {
    Objects.requireNonNull(zxid, "zxid");
  }

  /** Whether this vote beats {@code other} under {@link #ORDER}. */
  public boolean beats(Vote other) {
    return ORDER.compare(this, other) > 0;
  }

  @Override
  public String toString() {
    return "Vote[leader=" + leader + ", zxid=" + zxid + ", epoch=" + peerEpoch + "]";
  }
}
