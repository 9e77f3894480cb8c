package io.zab.nemesis.net;

import java.util.ArrayList;
import java.util.List;

/**
 * The commands that build and remove one run's network (see {@link NetPlan}). Pure: it only lists them.
 *
 * <p>Partitions: each namespace's peer interface gets an HTB root qdisc whose default class 1:1 passes
 * everything, and a class 1:2 whose queue is {@code pfifo limit 0}: a u32 filter that steers a peer's
 * address into 1:2 drops every packet to that peer silently, as a cut cable would (the kernel has no netem
 * and there is no iptables here). {@link TcRules} adds and removes those filters.
 */
public final class NetSetup {
  private NetSetup() {}

  public static List<List<String>> setup(NetPlan plan) {
    List<List<String>> c = new ArrayList<>();
    c.add(List.of("ip", "link", "add", plan.peerBridge(), "type", "bridge"));
    c.add(List.of("ip", "link", "set", plan.peerBridge(), "up"));
    c.add(List.of("ip", "link", "add", plan.clientBridge(), "type", "bridge"));
    c.add(List.of("ip", "addr", "add", plan.clientGateway() + "/24", "dev", plan.clientBridge()));
    c.add(List.of("ip", "link", "set", plan.clientBridge(), "up"));
    for (int n : plan.ids()) {
      String ns = plan.namespace(n);
      c.add(List.of("ip", "netns", "add", ns));
      c.add(List.of("ip", "-n", ns, "link", "set", "lo", "up"));
      link(c, plan, n, false, NetPlan.PEER_DEV, plan.peerIp(n), plan.peerBridge());
      link(c, plan, n, true, NetPlan.CLIENT_DEV, plan.clientIp(n), plan.clientBridge());
      c.add(List.of("tc", "-n", ns, "qdisc", "add", "dev", NetPlan.PEER_DEV, "root", "handle", "1:", "htb", "default", "1"));
      c.add(List.of("tc", "-n", ns, "class", "add", "dev", NetPlan.PEER_DEV, "parent", "1:", "classid", "1:1",
          "htb", "rate", "10gbit", "quantum", "60000"));
      c.add(List.of("tc", "-n", ns, "class", "add", "dev", NetPlan.PEER_DEV, "parent", "1:", "classid", "1:2",
          "htb", "rate", "10gbit", "quantum", "60000"));
      c.add(List.of("tc", "-n", ns, "qdisc", "add", "dev", NetPlan.PEER_DEV, "parent", "1:2", "handle", "20:",
          "pfifo", "limit", "0"));
    }
    return c;
  }

  private static void link(List<List<String>> c, NetPlan plan, int n, boolean client, String dev, String ip,
      String bridge) {
    String ns = plan.namespace(n);
    String host = plan.hostVeth(n, client);
    String tmp = plan.nsVethTemporary(n, client);
    c.add(List.of("ip", "link", "add", host, "type", "veth", "peer", "name", tmp));
    c.add(List.of("ip", "link", "set", tmp, "netns", ns));
    c.add(List.of("ip", "-n", ns, "link", "set", tmp, "name", dev));
    c.add(List.of("ip", "-n", ns, "addr", "add", ip + "/24", "dev", dev));
    c.add(List.of("ip", "-n", ns, "link", "set", dev, "up"));
    c.add(List.of("ip", "link", "set", host, "master", bridge));
    c.add(List.of("ip", "link", "set", host, "up"));
  }

  /**
   * Removing a namespace removes the veth ends in it, and with them their root-namespace peers; then the
   * bridges go. Processes still inside must be killed first (see {@code RunNetwork.teardown}).
   */
  public static List<List<String>> teardown(NetPlan plan) {
    List<List<String>> c = new ArrayList<>();
    for (int n : plan.ids()) {
      c.add(List.of("ip", "netns", "del", plan.namespace(n)));
    }
    for (int n : plan.ids()) {
      c.add(List.of("ip", "link", "del", plan.hostVeth(n, false)));
      c.add(List.of("ip", "link", "del", plan.hostVeth(n, true)));
    }
    c.add(List.of("ip", "link", "del", plan.peerBridge()));
    c.add(List.of("ip", "link", "del", plan.clientBridge()));
    return c;
  }
}
