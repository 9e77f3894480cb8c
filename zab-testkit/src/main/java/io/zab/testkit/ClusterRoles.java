package io.zab.testkit;

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
 * which links are up. A server counts as leading or following in an epoch only once it announced it, and a
 * follower counts only while it is still connected to its leader: right after a cut the old leader and its
 * followers still say LEADING/FOLLOWING, but they no longer make a quorum.
 */
final class ClusterRoles {
  private final int size;
  private final Map<Long, ZabNode> running;
  private final NodeLinks links;
  private final Map<Long, RoleChange> announced = new ConcurrentHashMap<>();

  ClusterRoles(int size, Map<Long, ZabNode> running, NodeLinks links) {
    this.size = size;
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
      long followers = followersOf(id).stream().filter(f -> links.connected(id, f)).count();
      if (followers + 1 > size / 2) {
        return id;
      }
    }
    return 0;
  }

  /** See {@link NodeCluster#followersOf(long)}. */
  Set<Long> followersOf(long leader) {
    RoleChange l = announced.get(leader);
    if (l == null || l.role() != Role.LEADING) {
      return Set.of();
    }
    return running.entrySet().stream().filter(e -> {
      RoleChange a = announced.get(e.getKey());
      return a != null && a.role() == Role.FOLLOWING && a.leader().orElse(0) == leader && a.epoch() == l.epoch()
          && e.getValue().role() == Role.FOLLOWING;
    }).map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
  }

  /** The established leader if every running server connected to it follows it, else 0. */
  long leaderFollowedByAllItReaches() {
    long leader = establishedLeader();
    if (leader == 0) {
      return 0;
    }
    Set<Long> followers = followersOf(leader);
    for (long id : running.keySet()) {
      if (id != leader && links.connected(leader, id) && !followers.contains(id)) {
        return 0;
      }
    }
    return leader;
  }

  /** Every running server follows one established leader, connected to it, and applied its commit point. */
  boolean stable() {
    long leader = leaderFollowedByAllItReaches();
    ZabNode l = leader == 0 ? null : running.get(leader);
    if (l == null) {
      return false;
    }
    Zxid committed = l.committedZxid();
    Set<Long> followers = followersOf(leader);
    for (Map.Entry<Long, ZabNode> e : running.entrySet()) {
      long id = e.getKey();
      if (id != leader && (!followers.contains(id) || !links.connected(leader, id))) {
        return false;
      }
      if (!e.getValue().appliedZxid().equals(committed)) {
        return false;
      }
    }
    return true;
  }
}
