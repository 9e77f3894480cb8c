package io.zab.testkit;

import io.zab.ClusterConfiguration;
import io.zab.Role;
import io.zab.ZabListener.RoleChange;
import io.zab.ZabNode;
import io.zab.Zxid;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Who leads a {@link NodeCluster}, from what each server's core announced (its listener's role changes) and
 * which links are up. A server counts as leading, following or observing in an epoch only once it announced it,
 * and a follower counts only while it is still connected to its leader: right after a cut the old leader and its
 * followers still say LEADING/FOLLOWING, but they no longer make a quorum. Quorums and "every member follows" are
 * those of the leader's configuration (it changes with reconfigurations; issue 11): observers follow without
 * counting, servers outside it are not waited for.
 */
final class ClusterRoles {
  private final Map<Long, ZabNode> running;
  private final NodeLinks links;
  private final Map<Long, RoleChange> announced = new ConcurrentHashMap<>();

  ClusterRoles(Map<Long, ZabNode> running, NodeLinks links) {
    this.running = running;
    this.links = links;
  }

  /** Server {@code id}'s core announced {@code change} (called on its protocol thread). */
  void announced(long id, RoleChange change) {
    announced.put(id, change);
  }

  /** Server {@code id} stopped or starts afresh: it has announced nothing yet. */
  void forget(long id) {
    announced.remove(id);
  }

  /** See {@link NodeCluster#establishedLeader()}. */
  long establishedLeader() {
    for (Map.Entry<Long, ZabNode> e : running.entrySet()) {
      long id = e.getKey();
      RoleChange a = announced.get(id);
      if (a == null || a.role() != Role.LEADING || e.getValue().role() != Role.LEADING) {
        continue;
      }
      ClusterConfiguration c = e.getValue().configuration();
      long backing = followersOf(id).stream().filter(f -> c.isVoter(f) && links.connected(id, f)).count()
          + (c.isVoter(id) ? 1 : 0);
      if (2 * backing > c.voters().size()) {
        return id;
      }
    }
    return 0;
  }

  /** See {@link NodeCluster#followersOf(long)}. */
  Set<Long> followersOf(long leader) {
    return inEpochOf(leader, Role.FOLLOWING);
  }

  /** The running servers whose last announcement is {@code role} under {@code leader} in its announced epoch. */
  private Set<Long> inEpochOf(long leader, Role role) {
    RoleChange l = announced.get(leader);
    if (l == null || l.role() != Role.LEADING) {
      return Set.of();
    }
    return running.entrySet().stream().filter(e -> {
      RoleChange a = announced.get(e.getKey());
      return a != null && a.role() == role && a.leader().orElse(0) == leader && a.epoch() == l.epoch()
          && e.getValue().role() == role;
    }).map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
  }

  /**
   * The established leader if every running member of its configuration connected to it follows it (voters) or
   * observes it (observers), else 0.
   */
  long leaderFollowedByAllItReaches() {
    long leader = establishedLeader();
    ZabNode l = leader == 0 ? null : running.get(leader);
    if (l == null) {
      return 0;
    }
    ClusterConfiguration c = l.configuration();
    Set<Long> followers = followersOf(leader);
    Set<Long> observers = inEpochOf(leader, Role.OBSERVING);
    for (long id : running.keySet()) {
      if (id != leader && c.isMember(id) && links.connected(leader, id)
          && !(c.isVoter(id) ? followers : observers).contains(id)) {
        return 0;
      }
    }
    return leader;
  }

  /**
   * Every running member of the leader's configuration follows (or observes) one established leader, connected to
   * it, and applied its commit point.
   */
  boolean stable() {
    long leader = leaderFollowedByAllItReaches();
    ZabNode l = leader == 0 ? null : running.get(leader);
    if (l == null) {
      return false;
    }
    Zxid committed = l.committedZxid();
    ClusterConfiguration c = l.configuration();
    for (Map.Entry<Long, ZabNode> e : running.entrySet()) {
      long id = e.getKey();
      if (!c.isMember(id)) {
        continue; // not added yet, or removed: it takes no part
      }
      if (id != leader && !links.connected(leader, id)) {
        return false;
      }
      if (!e.getValue().appliedZxid().equals(committed)) {
        return false;
      }
    }
    return true;
  }
}
