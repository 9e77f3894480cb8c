package io.zab.nemesis.net;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The tc commands that move the network from one {@link Cut} to another. Server {@code a} stops sending
 * to {@code b} through one u32 filter in a's namespace, at priority {@code 10 + b}, that steers b's peer
 * address into the dropping class 1:2; deleting the filters of that priority heals that direction. A cut
 * link has both directions blocked. Pure: it only lists the commands.
 */
public final class TcRules {
  private TcRules() {}

  public static List<List<String>> changes(NetPlan plan, Cut from, Cut to) {
    List<List<String>> c = new ArrayList<>();
    for (int node : plan.ids()) {
      Set<Integer> before = from.blockedFrom(node);
      Set<Integer> after = to.blockedFrom(node);
      for (int peer : before) {
        if (!after.contains(peer)) {
          c.add(List.of("tc", "-n", plan.namespace(node), "filter", "del", "dev", NetPlan.PEER_DEV, "parent", "1:",
              "protocol", "ip", "prio", Integer.toString(priority(peer))));
        }
      }
      for (int peer : after) {
        if (!before.contains(peer)) {
          c.add(List.of("tc", "-n", plan.namespace(node), "filter", "add", "dev", NetPlan.PEER_DEV, "parent", "1:",
              "protocol", "ip", "prio", Integer.toString(priority(peer)), "u32", "match", "ip", "dst",
              plan.peerIp(peer) + "/32", "flowid", "1:2"));
        }
      }
    }
    return c;
  }

  static int priority(int peer) {
    return 10 + peer;
  }
}
