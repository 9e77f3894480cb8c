package io.zab.nemesis.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NetSetupTest {
  private final NetPlan plan = new NetPlan("r1", 3, 9);

  @Test
  void everyNamespaceGetsBothInterfacesAndADroppingClass() {
    List<String> lines = NetSetup.setup(plan).stream().map(c -> String.join(" ", c)).toList();
    for (int n : plan.ids()) {
      String ns = plan.namespace(n);
      assertThat(lines).contains("ip netns add " + ns,
          "ip -n " + ns + " addr add " + plan.peerIp(n) + "/24 dev zpeer",
          "ip -n " + ns + " addr add " + plan.clientIp(n) + "/24 dev zcli",
          "ip link set " + plan.hostVeth(n, false) + " master " + plan.peerBridge(),
          "ip link set " + plan.hostVeth(n, true) + " master " + plan.clientBridge(),
          "tc -n " + ns + " qdisc add dev zpeer root handle 1: htb default 1",
          "tc -n " + ns + " qdisc add dev zpeer parent 1:2 handle 20: pfifo limit 0");
    }
    assertThat(lines).contains("ip addr add 10.78.9.254/24 dev " + plan.clientBridge());
    // The namespace exists before anything is moved into it.
    assertThat(lines.indexOf("ip netns add " + plan.namespace(1)))
        .isLessThan(lines.indexOf("ip link set " + plan.nsVethTemporary(1, false) + " netns " + plan.namespace(1)));
  }

  @Test
  void teardownRemovesNamespacesThenLinksThenBridges() {
    List<String> lines = NetSetup.teardown(plan).stream().map(c -> String.join(" ", c)).toList();
    assertThat(lines.get(0)).isEqualTo("ip netns del " + plan.namespace(1));
    assertThat(lines).contains("ip link del " + plan.hostVeth(2, true));
    assertThat(lines.subList(lines.size() - 2, lines.size()))
        .containsExactly("ip link del " + plan.peerBridge(), "ip link del " + plan.clientBridge());
  }
}
