package io.zab.protocol;

import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Static configuration of one server's protocol core.
 *
 * @param self this server's id (sid), a member of {@code voters}
 * @param voters the ids of every voting server of the ensemble
 * @param timing timeouts in ticks
 * @param maxTxnBytes the largest payload a submit may carry (larger ones are rejected TOO_LARGE)
 * @param maxOutstanding the most proposed-but-uncommitted txns on the leader (more are rejected OVERLOADED)
 * @param maxBatchTxns the most txns the leader packs in one proposal when coalescing submits
 */
public record PeerConfig(long self, Set<Long> voters, Timing timing, int maxTxnBytes, int maxOutstanding,
                         int maxBatchTxns) {

  public PeerConfig {
    Objects.requireNonNull(voters, "voters");
    Objects.requireNonNull(timing, "timing");
    voters = Collections.unmodifiableSortedSet(new TreeSet<>(voters)); // sorted: deterministic iteration
    if (self <= 0) {
      throw new IllegalArgumentException("self (server id) must be positive, got " + self);
    }
    for (long v : voters) {
      if (v <= 0) {
        throw new IllegalArgumentException("voter ids must be positive, got " + v + " in " + voters);
      }
    }
    if (!voters.contains(self)) {
      throw new IllegalArgumentException("self " + self + " is not among the voters " + voters);
    }
    if (maxTxnBytes < 1) {
      throw new IllegalArgumentException("maxTxnBytes must be >= 1, got " + maxTxnBytes);
    }
    if (maxOutstanding < 1) {
      throw new IllegalArgumentException("maxOutstanding must be >= 1, got " + maxOutstanding);
    }
    if (maxBatchTxns < 1) {
      throw new IllegalArgumentException("maxBatchTxns must be >= 1, got " + maxBatchTxns);
    }
  }

  /** A config with default timing, 1 MiB payloads, 10,000 outstanding txns and batches of up to 1,000. */
  public static PeerConfig of(long self, Set<Long> voters) {
    return new PeerConfig(self, voters, Timing.defaults(), 1 << 20, 10_000, 1_000);
  }
}
