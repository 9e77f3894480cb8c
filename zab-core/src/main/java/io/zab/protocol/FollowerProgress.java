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
 * @param flow what the leader's stream of its log to it is doing (flow control)
 * @param acked the highest zxid it acknowledged as durable on its disk
 * @param sent the last zxid the leader streamed to it
 * @param bytesInFlight proposal bytes sent to it and not acknowledged (bounded by the window, maxInFlightBytes)
 * @param echoedRound the highest read-barrier round it echoed
 * @param ticksSinceHeard leader ticks since a message from it arrived
 */
public record FollowerProgress(long sid, boolean voter, boolean connected, Phase phase, Flow flow, Zxid acked,
    Zxid sent, long bytesInFlight, long echoedRound, long ticksSinceHeard) {

  public FollowerProgress {
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(flow, "flow");
    Objects.requireNonNull(acked, "acked");
    Objects.requireNonNull(sent, "sent");
  }

  /** The leader's stream of its log to one member (flow control, issue 10 item 3). */
  public enum Flow {
    /** Nothing is streamed (discovery not done, or not connected). */
    IDLE,
    /** Everything up to the leader's last zxid was sent; new proposals go out as they come. */
    REPLICATE,
    /**
     * The window (bytes sent and not acknowledged) is full: new proposals are held back for this member only;
     * its acks resume the stream from the in-memory log.
     */
    PAUSED,
    /** A snapshot is on its way (the txns it needed were compacted away); the proposals after it follow. */
    SNAPSHOT
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
