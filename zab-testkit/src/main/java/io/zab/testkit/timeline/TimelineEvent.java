package io.zab.testkit.timeline;

import io.zab.Role;
import io.zab.Zxid;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One thing that happened to a cluster, at a time in microseconds since the cluster was created (simulated
 * time for a {@code SimCluster}, wall-clock time for a {@code NodeCluster}). A {@link Timeline} is a list of them.
 */
public sealed interface TimelineEvent {

  /**
   * When it happened.
   *
   * @return microseconds since the cluster was created
   */
  long timeMicros();

  /**
   * What happened, for people.
   *
   * @return one readable line, without the time
   */
  String describe();

  /**
   * The server's core announced a role (S1): LEADING/FOLLOWING once its epoch is established, LOOKING on an election.
   *
   * @param timeMicros when, in microseconds since the cluster was created
   * @param server the server
   * @param role its new role
   * @param leader the leader it leads, follows or observes (itself when LEADING); 0 when LOOKING
   * @param epoch the epoch it serves in; when LOOKING, the last epoch it served in
   */
  record RoleChanged(long timeMicros, long server, Role role, long leader, long epoch) implements TimelineEvent {
    /**
     * Checks the role.
     *
     * @param timeMicros when
     * @param server the server
     * @param role its new role, not null
     * @param leader the leader it leads, follows or observes
     * @param epoch the epoch it serves in
     */
    public RoleChanged {
      Objects.requireNonNull(role, "role");
    }

    @Override
    public String describe() {
      return switch (role) {
        case LEADING -> "s" + server + " leads epoch " + epoch;
        case FOLLOWING -> "s" + server + " follows s" + leader + " in epoch " + epoch;
        case OBSERVING -> "s" + server + " observes s" + leader + " in epoch " + epoch;
        case LOOKING -> "s" + server + " is looking (election)";
      };
    }
  }

  /**
   * A server (re)started from its disk.
   *
   * @param timeMicros when, in microseconds since the cluster was created
   * @param server the server
   */
  record Started(long timeMicros, long server) implements TimelineEvent {
    @Override
    public String describe() {
      return "s" + server + " started";
    }
  }

  /**
   * A server stopped: crashed (kill -9, unsynced writes lost) or closed cleanly.
   *
   * @param timeMicros when, in microseconds since the cluster was created
   * @param server the server
   * @param crashed true for a crash, false for a clean stop
   */
  record Stopped(long timeMicros, long server, boolean crashed) implements TimelineEvent {
    @Override
    public String describe() {
      return "s" + server + (crashed ? " crashed" : " stopped");
    }
  }

  /**
   * A server's process stopped running for a while (a long GC pause).
   *
   * @param timeMicros when the pause began, in microseconds since the cluster was created
   * @param server the server
   * @param durationMicros how long it lasts
   */
  record Paused(long timeMicros, long server, long durationMicros) implements TimelineEvent {
    @Override
    public String describe() {
      return "s" + server + " paused for " + durationMicros / 1000 + " ms";
    }
  }

  /**
   * The network changed: {@code cut} lists every pair of servers that cannot talk after the change (empty
   * once healed). One-way stalls and delay spikes have a description but cut nothing.
   *
   * @param timeMicros when, in microseconds since the cluster was created
   * @param description what changed, for people
   * @param cut every pair of servers that cannot talk after the change
   */
  record NetworkChanged(long timeMicros, String description, Set<Link> cut) implements TimelineEvent {
    /**
     * Checks the description and copies the cut links.
     *
     * @param timeMicros when
     * @param description what changed, not null
     * @param cut every pair of servers that cannot talk after the change
     */
    public NetworkChanged {
      Objects.requireNonNull(description, "description");
      cut = Set.copyOf(cut);
    }

    @Override
    public String describe() {
      return "network: " + description + (cut.isEmpty() ? "" : " (cut: " + cut.stream().sorted()
          .map(Link::toString).collect(Collectors.joining(" ")) + ")");
    }
  }

  /**
   * A server applied committed txns up to {@code zxid} ({@code txns} of them in this step).
   *
   * @param timeMicros when, in microseconds since the cluster was created
   * @param server the server
   * @param zxid the last txn it applied
   * @param txns how many txns it applied in this step
   */
  record Committed(long timeMicros, long server, Zxid zxid, int txns) implements TimelineEvent {
    /**
     * Checks the zxid.
     *
     * @param timeMicros when
     * @param server the server
     * @param zxid the last txn it applied, not null
     * @param txns how many txns it applied in this step
     */
    public Committed {
      Objects.requireNonNull(zxid, "zxid");
    }

    @Override
    public String describe() {
      return "s" + server + " applied " + (txns == 1 ? "" : txns + " txns up to ") + zxid;
    }
  }

  /**
   * Anything else worth seeing (a client operation, a check, a line of the test's own).
   *
   * @param timeMicros when, in microseconds since the cluster was created
   * @param text the line shown
   */
  record Note(long timeMicros, String text) implements TimelineEvent {
    /**
     * Checks the text.
     *
     * @param timeMicros when
     * @param text the line shown, not null
     */
    public Note {
      Objects.requireNonNull(text, "text");
    }

    @Override
    public String describe() {
      return text;
    }
  }

  /**
   * An unordered pair of servers, lower id first. Build one with {@link #of}.
   *
   * @param low the lower server id
   * @param high the higher server id
   */
  record Link(long low, long high) implements Comparable<Link> {
    /**
     * The link between two servers, given in either order.
     *
     * @param a one server
     * @param b another server
     * @return the link, lower id first
     * @throws IllegalArgumentException if {@code a == b}
     */
    public static Link of(long a, long b) {
      if (a == b) {
        throw new IllegalArgumentException("a link needs two servers, got " + a + " twice");
      }
      return a < b ? new Link(a, b) : new Link(b, a);
    }

    /**
     * Whether {@code server} is one end.
     *
     * @param server a server id
     * @return true if it is {@code low} or {@code high}
     */
    public boolean touches(long server) {
      return low == server || high == server;
    }

    /**
     * The end that is not {@code server}.
     *
     * @param server one end
     * @return the other end
     */
    public long other(long server) {
      return low == server ? high : low;
    }

    @Override
    public int compareTo(Link o) {
      return low != o.low ? Long.compare(low, o.low) : Long.compare(high, o.high);
    }

    @Override
    public String toString() {
      return low + "-" + high;
    }
  }
}
