package io.zab.nemesis.net;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * Names and addresses of one run's network: per server a namespace with two interfaces, one on the peer
 * subnet (zab traffic, where partitions are cut) and one on the client subnet (HTTP, reached from the root
 * namespace, never cut), so a partition between servers never hides a server from its clients.
 *
 * <p>Every name carries the run id, so two runs on one host cannot collide; the peer subnet lives on a
 * bridge that has no address in the root namespace, so every run may use the same one, while the client
 * subnet's gateway address sits in the root namespace and is chosen per run ({@link #clientOctet}).
 * Interface names stay within Linux's 15 characters.
 *
 * @param runId 1 to 6 lowercase letters or digits
 * @param nodes number of servers, 1 to 9 (ids 1..nodes)
 * @param clientOctet third octet of the client subnet 10.78.X.0/24
 */
public record NetPlan(String runId, int nodes, int clientOctet) {
  private static final Pattern RUN_ID = Pattern.compile("[a-z0-9]{1,6}");

  /** The in-namespace name of the peer interface (namespaces have their own names, so no run id). */
  public static final String PEER_DEV = "zpeer";
  /** The in-namespace name of the client interface. */
  public static final String CLIENT_DEV = "zcli";
  /** The zab peer port of every server (each has its own address). */
  public static final int PEER_PORT = 2881;
  /** The HTTP port of every server. */
  public static final int HTTP_PORT = 8080;
  /** A port nothing listens on: the connect matrix probes it (refused: the path works; silence: it is cut). */
  public static final int PROBE_PORT = 9;

  public NetPlan {
    if (runId == null || !RUN_ID.matcher(runId).matches()) {
      throw new IllegalArgumentException("run id must be 1-6 lowercase letters or digits, got '" + runId + "'");
    }
    if (nodes < 1 || nodes > 9) {
      throw new IllegalArgumentException("nodes must be 1..9, got " + nodes);
    }
    if (clientOctet < 0 || clientOctet > 255) {
      throw new IllegalArgumentException("client subnet octet must be 0..255, got " + clientOctet);
    }
  }

  /** Prefix shared by every namespace of this run (what a leftover clean-up looks for). */
  public String namespacePrefix() {
    return "zn-" + runId + "-";
  }

  public String namespace(int node) {
    check(node);
    return namespacePrefix() + node;
  }

  public String peerBridge() {
    return "znp" + runId;
  }

  public String clientBridge() {
    return "znc" + runId;
  }

  /** The root-namespace end of a node's veth pair on the peer ({@code client == false}) or client subnet. */
  public String hostVeth(int node, boolean client) {
    check(node);
    return "zv" + runId + node + (client ? "c" : "p");
  }

  /** The other end's name until it is moved into the namespace and renamed. */
  public String nsVethTemporary(int node, boolean client) {
    check(node);
    return "zw" + runId + node + (client ? "c" : "p");
  }

  public String peerIp(int node) {
    check(node);
    return "10.77.1." + node;
  }

  public String clientIp(int node) {
    check(node);
    return "10.78." + clientOctet + "." + node;
  }

  /** The root namespace's address on the client bridge. */
  public String clientGateway() {
    return "10.78." + clientOctet + ".254";
  }

  public String clientSubnet() {
    return "10.78." + clientOctet + ".0/24";
  }

  public List<Integer> ids() {
    return IntStream.rangeClosed(1, nodes).boxed().toList();
  }

  /** zab's member list: ID=HOST:PORT,... on the peer subnet. */
  public String peerList() {
    StringBuilder sb = new StringBuilder();
    for (int id : ids()) {
      sb.append(sb.length() == 0 ? "" : ",").append(id).append('=').append(peerIp(id)).append(':').append(PEER_PORT);
    }
    return sb.toString();
  }

  public String httpUrl(int node) {
    return "http://" + clientIp(node) + ":" + HTTP_PORT;
  }

  private void check(int node) {
    if (node < 1 || node > nodes) {
      throw new IllegalArgumentException("no node " + node + " in a run of " + nodes);
    }
  }
}
