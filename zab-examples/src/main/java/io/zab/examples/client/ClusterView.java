package io.zab.examples.client;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The status of every node of a cluster, as their {@code /status} endpoints report it. */
public record ClusterView(List<NodeStatus> nodes) {

  /** One node's status, or why it could not be read. */
  public record NodeStatus(String url, Map<String, Object> status, String error) {
    public boolean up() {
      return status != null;
    }

    public String role() {
      return up() ? (String) status.get("role") : "DOWN";
    }

    public long id() {
      return up() ? (Long) status.get("id") : -1;
    }

    public long epoch() {
      return up() ? (Long) status.get("epoch") : -1;
    }

    public Long leader() {
      return up() ? (Long) status.get("leader") : null;
    }

    /** Whether the node serves in an established epoch (its role announced for its current epoch). */
    public boolean established() {
      return up() && Boolean.TRUE.equals(status.get("established"));
    }
  }

  public static ClusterView read(List<KvClient> clients) {
    List<NodeStatus> nodes = new ArrayList<>();
    for (KvClient c : clients) {
      try {
        nodes.add(new NodeStatus(c.baseUrl(), c.status().body(), null));
      } catch (UncheckedIOException | IllegalStateException e) {
        nodes.add(new NodeStatus(c.baseUrl(), null, e.getMessage()));
      }
    }
    return new ClusterView(nodes);
  }

  /**
   * The leader's id if every node that is up agrees on one leader which is itself up and LEADING, at least
   * {@code minUp} nodes are up, and all of them are FOLLOWING or LEADING in the same established epoch (so a
   * write sent to any of them now is served, not refused while it still syncs).
   */
  public Optional<Long> settledLeader(int minUp) {
    List<NodeStatus> up = nodes.stream().filter(NodeStatus::up).toList();
    if (up.size() < minUp) {
      return Optional.empty();
    }
    Long leader = up.get(0).leader();
    long epoch = up.get(0).epoch();
    for (NodeStatus n : up) {
      if (leader == null || !Objects.equals(n.leader(), leader) || n.epoch() != epoch || n.role().equals("LOOKING")
          || !n.established()) {
        return Optional.empty();
      }
    }
    boolean leaderLeads = up.stream().anyMatch(n -> n.id() == leader && n.role().equals("LEADING"));
    return leaderLeads ? Optional.of(leader) : Optional.empty();
  }

  public Optional<NodeStatus> node(long id) {
    return nodes.stream().filter(n -> n.id() == id).findFirst();
  }

  /** A table: id, role, epoch (with "*" until it is established), last zxid, applied zxid, digest, HTTP address. */
  public String table() {
    StringBuilder sb = new StringBuilder(String.format("  %-4s %-10s %-6s %-14s %-14s %-10s %s%n",
        "id", "role", "epoch", "lastZxid", "appliedZxid", "digest", "http"));
    boolean pending = false;
    for (NodeStatus n : nodes) {
      if (!n.up()) {
        sb.append(String.format("  %-4s %-10s %-6s %-14s %-14s %-10s %s%n", "?", "DOWN", "-", "-", "-", "-",
            n.url() + (n.error() != null ? " (" + n.error() + ")" : "")));
        continue;
      }
      Map<String, Object> s = n.status();
      pending |= !n.established();
      sb.append(String.format("  %-4s %-10s %-6s %-14s %-14s %-10s %s%n", s.get("id"), s.get("role"),
          s.get("epoch") + (n.established() ? "" : "*"), s.get("lastZxid"), s.get("appliedZxid"), s.get("stateDigest"),
          n.url()));
    }
    if (pending) {
      sb.append("  * epoch not established yet on that node (electing or syncing with the leader)\n");
    }
    return sb.toString();
  }
}
