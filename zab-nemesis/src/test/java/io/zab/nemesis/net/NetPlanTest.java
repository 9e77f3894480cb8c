package io.zab.nemesis.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NetPlanTest {
  private final NetPlan plan = new NetPlan("ab12cd", 3, 42);

  @Test
  void interfaceNamesFitLinuxLimitAndCarryTheRunId() {
    List<String> names = List.of(plan.peerBridge(), plan.clientBridge(), plan.hostVeth(3, false), plan.hostVeth(3, true),
        plan.nsVethTemporary(3, false), plan.nsVethTemporary(3, true), NetPlan.PEER_DEV, NetPlan.CLIENT_DEV);
    for (String n : names) {
      assertThat(n.length()).as(n).isLessThanOrEqualTo(15);
    }
    for (String n : names.subList(0, 6)) {
      assertThat(n).contains("ab12cd");
    }
    assertThat(plan.namespace(2)).isEqualTo("zn-ab12cd-2").startsWith(plan.namespacePrefix());
  }

  @Test
  void twoRunsShareNoName() {
    NetPlan other = new NetPlan("ab12ce", 3, 42);
    Set<String> mine = names(plan);
    Set<String> theirs = names(other);
    mine.retainAll(theirs);
    assertThat(mine).isEmpty();
  }

  private static Set<String> names(NetPlan p) {
    Set<String> s = new HashSet<>(List.of(p.peerBridge(), p.clientBridge()));
    for (int n : p.ids()) {
      s.addAll(List.of(p.namespace(n), p.hostVeth(n, false), p.hostVeth(n, true), p.nsVethTemporary(n, false),
          p.nsVethTemporary(n, true)));
    }
    return s;
  }

  @Test
  void addressesPutPeersAndClientsOnSeparateSubnets() {
    assertThat(plan.peerIp(1)).isEqualTo("10.77.1.1");
    assertThat(plan.clientIp(3)).isEqualTo("10.78.42.3");
    assertThat(plan.clientGateway()).isEqualTo("10.78.42.254");
    assertThat(plan.peerList()).isEqualTo("1=10.77.1.1:2881,2=10.77.1.2:2881,3=10.77.1.3:2881");
    assertThat(plan.httpUrl(2)).isEqualTo("http://10.78.42.2:8080");
  }

  @Test
  void refusesNamesThatCouldCollideOrOverflow() {
    assertThatThrownBy(() -> new NetPlan("toolong7", 3, 1)).hasMessageContaining("run id");
    assertThatThrownBy(() -> new NetPlan("AB", 3, 1)).hasMessageContaining("run id");
    assertThatThrownBy(() -> new NetPlan("a-b", 3, 1)).hasMessageContaining("run id");
    assertThatThrownBy(() -> new NetPlan("ab", 10, 1)).hasMessageContaining("nodes");
    assertThatThrownBy(() -> plan.peerIp(4)).hasMessageContaining("no node 4");
  }
}
