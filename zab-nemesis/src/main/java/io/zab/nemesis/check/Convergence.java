package io.zab.nemesis.check;

import io.zab.nemesis.cluster.NodeStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Whether the servers ended in the same state: one leader that everyone follows in one epoch, the same last
 * and applied zxid and state digest everywhere, and the same value for every key read at the end.
 */
public final class Convergence {
  private Convergence() {}

  public record Report(boolean converged, List<String> differences) {}

  /** Only the status part (what the end of a run polls for before reading contents). */
  public static List<String> statusDifferences(Collection<NodeStatus> statuses) {
    List<String> diffs = new ArrayList<>();
    List<NodeStatus> all = List.copyOf(statuses);
    for (NodeStatus s : all) {
      if (!s.up()) {
        diffs.add("server " + s.node() + " does not answer");
      }
    }
    for (NodeStatus s : all) {
      if (Boolean.FALSE.equals(s.established())) {
        diffs.add("server " + s.node() + " is " + s.role() + " but not established in epoch " + s.epoch());
      }
    }
    if (!diffs.isEmpty()) {
      return diffs;
    }
    List<NodeStatus> leaders = all.stream().filter(NodeStatus::leading).toList();
    if (leaders.size() != 1) {
      diffs.add(leaders.size() + " servers are LEADING");
      return diffs;
    }
    NodeStatus leader = leaders.get(0);
    for (NodeStatus s : all) {
      if (s != leader && !(s.following() && Objects.equals(s.leader(), (long) leader.node())
          && s.epoch() == leader.epoch())) {
        diffs.add("server " + s.node() + " is " + s.role() + " (leader " + s.leader() + ", epoch " + s.epoch()
            + "), not following " + leader.node() + " in epoch " + leader.epoch());
      }
      same(diffs, "last zxid", leader, s, leader.lastZxid(), s.lastZxid());
      same(diffs, "applied zxid", leader, s, leader.appliedZxid(), s.appliedZxid());
      same(diffs, "state digest", leader, s, leader.digest(), s.digest());
      same(diffs, "applied zxid vs last zxid", s, s, s.lastZxid(), s.appliedZxid());
    }
    return diffs;
  }

  /**
   * @param contents per server, the value of every key read at the end (null or missing: absent)
   */
  public static Report compare(Collection<NodeStatus> statuses, Map<Integer, Map<String, String>> contents) {
    List<String> diffs = new ArrayList<>(statusDifferences(statuses));
    TreeSet<String> keys = new TreeSet<>();
    contents.values().forEach(m -> keys.addAll(m.keySet()));
    for (String key : keys) {
      TreeSet<String> seen = new TreeSet<>();
      StringBuilder where = new StringBuilder();
      for (Map.Entry<Integer, Map<String, String>> e : new TreeMap<>(contents).entrySet()) {
        String v = e.getValue().get(key);
        seen.add(String.valueOf(v));
        where.append(where.length() == 0 ? "" : ", ").append("server ").append(e.getKey()).append('=').append(v);
      }
      if (seen.size() > 1) {
        diffs.add("key " + key + " differs: " + where);
      }
    }
    return new Report(diffs.isEmpty(), diffs);
  }

  private static void same(List<String> diffs, String what, NodeStatus a, NodeStatus b, String va, String vb) {
    if (!Objects.equals(va, vb)) {
      diffs.add(what + ": server " + a.node() + " " + va + ", server " + b.node() + " " + vb);
    }
  }
}
