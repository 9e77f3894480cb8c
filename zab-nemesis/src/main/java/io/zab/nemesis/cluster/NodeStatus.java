package io.zab.nemesis.cluster;

import io.zab.examples.client.KvClient;

/**
 * What one server's {@code GET /status} said at {@code micros} (run time), or that it did not answer.
 * {@code established}: whether it serves in its epoch (its core announced the role), null if not reported.
 */
public record NodeStatus(int node, long micros, boolean up, String role, Long leader, long epoch, String lastZxid,
    String appliedZxid, String digest, Boolean established) {

  public NodeStatus(int node, long micros, boolean up, String role, Long leader, long epoch, String lastZxid,
      String appliedZxid, String digest) {
    this(node, micros, up, role, leader, epoch, lastZxid, appliedZxid, digest, null);
  }

  public static NodeStatus down(int node, long micros) {
    return new NodeStatus(node, micros, false, "DOWN", null, -1, null, null, null);
  }

  public static NodeStatus parse(int node, long micros, KvClient.Response r) {
    if (r.status() != 200) {
      return down(node, micros);
    }
    String leader = r.text("leader");
    String epoch = r.text("epoch");
    return new NodeStatus(node, micros, true, r.text("role"), leader == null ? null : Long.valueOf(leader),
        epoch == null ? -1 : Long.parseLong(epoch), r.text("lastZxid"), r.text("appliedZxid"), r.text("stateDigest"),
        r.body().containsKey("established") ? r.flag("established") : null);
  }

  /** LEADING, and established in its epoch unless the server does not report that. */
  public boolean leading() {
    return up && "LEADING".equals(role) && !Boolean.FALSE.equals(established);
  }

  /** FOLLOWING, and established in its epoch unless the server does not report that. */
  public boolean following() {
    return up && "FOLLOWING".equals(role) && !Boolean.FALSE.equals(established);
  }

  @Override
  public String toString() {
    return up ? "server " + node + " " + role + (Boolean.FALSE.equals(established) ? " (not established)" : "")
        + " epoch " + epoch + " leader " + leader + " last " + lastZxid
        + " applied " + appliedZxid + " digest " + digest : "server " + node + " not answering";
  }
}
