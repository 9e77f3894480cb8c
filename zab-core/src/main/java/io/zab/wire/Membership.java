package io.zab.wire;

import io.zab.ClusterConfiguration;
import io.zab.Member;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who takes part after a point of the log: a stable configuration, or, while the voter set changes, the joint pair
 * of the old configuration and the new one (docs/protocol.md, membership). It is what a CONFIG txn carries and what
 * a snapshot records of the point it was taken at. A server's membership in force is that of the last CONFIG txn
 * in its log; the quorum rule over it lives in the protocol core.
 *
 * <pre>{@code
 * Membership m = Membership.joint(old, next);   // a quorum needs a majority of old.voters() and of next.voters()
 * m.isVoter(4);                                 // voter of either side
 * }</pre>
 *
 * @param current the stable configuration (during a change: the old one)
 * @param next the configuration being moved to while the voter set changes, else null
 */
public record Membership(ClusterConfiguration current, ClusterConfiguration next) {

  /**
   * Checks that there is a current configuration.
   *
   * @param current the stable configuration (during a change: the old one)
   * @param next the configuration being moved to while the voter set changes, else null
   */
  public Membership {
    Objects.requireNonNull(current, "current");
  }

  /**
   * A stable membership.
   *
   * @param c the configuration in force
   * @return the membership of {@code c} alone
   */
  public static Membership stable(ClusterConfiguration c) {
    return new Membership(c, null);
  }

  /**
   * The joint membership of a voter change from {@code current} to {@code next}.
   *
   * @param current the configuration being left
   * @param next the configuration being moved to
   * @return the joint membership of both
   */
  public static Membership joint(ClusterConfiguration current, ClusterConfiguration next) {
    return new Membership(current, Objects.requireNonNull(next, "next"));
  }

  /**
   * Whether a voter change is under way (quorums of both sides are needed).
   *
   * @return true if {@code next} is set
   */
  public boolean joint() {
    return next != null;
  }

  /**
   * The configuration this membership leads to: {@code next} while joint, else {@code current}.
   *
   * @return the newest configuration of this membership
   */
  public ClusterConfiguration target() {
    return next != null ? next : current;
  }

  /**
   * The voters of either side, ascending.
   *
   * @return a new set of the voters' ids of both configurations
   */
  public Set<Long> voterIds() {
    Set<Long> ids = new TreeSet<>(current.voterIds());
    if (next != null) {
      ids.addAll(next.voterIds());
    }
    return ids;
  }

  /**
   * Whether {@code sid} is a voter of either side.
   *
   * @param sid a server id
   * @return true if it is a voter of {@code current} or of {@code next}
   */
  public boolean isVoter(long sid) {
    return current.isVoter(sid) || (next != null && next.isVoter(sid));
  }

  /**
   * Whether {@code sid} is a voter or observer of either side.
   *
   * @param sid a server id
   * @return true if it is a member of {@code current} or of {@code next}
   */
  public boolean isMember(long sid) {
    return current.isMember(sid) || (next != null && next.isMember(sid));
  }

  /**
   * Every member of either side (the newer address where they differ), sorted by id.
   *
   * @return the voters and observers of both configurations, each once
   */
  public List<Member> members() {
    Map<Long, Member> byId = new LinkedHashMap<>();
    current.members().forEach(m -> byId.put(m.id(), m));
    if (next != null) {
      next.members().forEach(m -> byId.put(m.id(), m));
    }
    return byId.values().stream().sorted(java.util.Comparator.comparingLong(Member::id)).toList();
  }

  @Override
  public String toString() {
    return next == null ? current.toString() : "joint(" + current + " -> " + next + ")";
  }
}
