package io.zab.protocol;

import io.zab.ClusterConfiguration;
import io.zab.Zxid;
import io.zab.wire.Message;
import java.util.Arrays;
import java.util.Objects;

/**
 * Everything that can happen to a server, as input to the pure core ({@link Peer#handle(Event)}).
 * The runtime (or the simulator) turns real-world occurrences into these.
 */
public sealed interface Event {

  /** The server starts (or restarts): begin an election (S1, S5.1). Sent exactly once, first. */
  record Start() implements Event {}

  /** One tick of the logical clock elapsed. All timeouts of the core are counted in ticks. */
  record Tick() implements Event {}

  /** A message arrived from peer {@code from} (an authenticated server id). */
  record Received(long from, Message message) implements Event {
    public Received {
      Objects.requireNonNull(message, "message");
    }
  }

  /** The transport has a working connection to {@code peer}. */
  record PeerConnected(long peer) implements Event {}

  /** The connection to {@code peer} was lost; anything sent to it since may not have arrived. */
  record PeerDisconnected(long peer) implements Event {}

  /** A client submitted a write on this server. The runtime chose {@code requestId}, unique on this server. */
  record Submit(long requestId, byte[] data) implements Event {
    public Submit {
      Objects.requireNonNull(data, "data");
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Submit s && requestId == s.requestId && Arrays.equals(data, s.data);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(requestId) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
      return "Submit[" + requestId + ", " + data.length + " bytes]";
    }
  }

  /**
   * A client asked for a reconfiguration on this server (issue 11): the leader changes the configuration to
   * {@code target} if its version is the current one's, waiting up to {@code catchUpTicks} for new voters to catch
   * up first; a follower forwards it. Completes with the zxid of the change's final txn once committed.
   */
  record Reconfigure(long requestId, ClusterConfiguration target, long catchUpTicks) implements Event {
    public Reconfigure {
      Objects.requireNonNull(target, "target");
      if (catchUpTicks < 0) {
        throw new IllegalArgumentException("negative catchUpTicks " + catchUpTicks);
      }
    }
  }

  /**
   * A client asked for leadership to move to voter {@code target} (issue 11): the leader stops proposing, waits up
   * to {@code timeoutTicks} for the target to hold everything, and hands over; a follower forwards it. Completes when
   * this server follows (or is) the target; fails if that does not happen within the bound.
   */
  record TransferLeadership(long requestId, long target, long timeoutTicks) implements Event {
    public TransferLeadership {
      if (timeoutTicks < 0) {
        throw new IllegalArgumentException("negative timeoutTicks " + timeoutTicks);
      }
    }
  }

  /** A client asked for a read barrier (node.sync()) on this server. */
  record ReadBarrier(long requestId) implements Event {}

  /** Every txn appended up to and including {@code zxid} is now fsynced on this server. */
  record Persisted(Zxid zxid) implements Event {
    public Persisted {
      Objects.requireNonNull(zxid, "zxid");
    }
  }

  /** The runtime wrote a complete snapshot of the applied state at {@code zxid}; older txns may be dropped. */
  record SnapshotTaken(Zxid zxid) implements Event {
    public SnapshotTaken {
      Objects.requireNonNull(zxid, "zxid");
    }
  }
}
