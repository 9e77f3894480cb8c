package io.zab.protocol;

import io.zab.Zxid;
import java.util.Objects;

/**
 * A read-only snapshot of what the leader knows about one member (see {@link Peer#followers()}): how far
 * discovery and sync got, what it acknowledged as durable, and whether it is heard from.
 *
 * @param sid the member's server id
 * @param voter whether it counts for quorums
 * @param connected whether the transport reports a connection to it
 * @param phase how far discovery and sync with this leader got
 * @param acked the highest zxid it acknowledged as durable on its disk
 * @param echoedRound the highest read-barrier round it echoed
 * @param ticksSinceHeard leader ticks since a message from it arrived
 */
public record FollowerProgress(long sid, boolean voter, boolean connected, Phase phase, Zxid acked,
    long echoedRound, long ticksSinceHeard) {

  public FollowerProgress {
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(acked, "acked");
  }

  /** Discovery and sync of one member with this leader (S6, S7). */
  public enum Phase {
    /** Not in discovery with this leader (never joined, or its connection was lost). */
    NONE,
    /** FollowerInfo received; LeaderInfo sent or pending. */
    INFO,
    /** AckEpoch received; sync starts once a quorum acked the epoch. */
    EPOCH_ACKED,
    /** Sync stream under way (NewLeader sent or pending); receives new proposals too. */
    SYNCING,
    /** NewLeader acknowledged: counts for commit quorums and read-barrier rounds. */
    SYNCED
  }
}
