package io.zab.nemesis.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.examples.client.KvClient;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeStatusTest {
  private static KvClient.Response status(boolean withEstablished, boolean established, String role) {
    Map<String, Object> b = new HashMap<>(Map.of("id", 2L, "role", role, "epoch", 7L, "lastZxid", "0x7:0x3",
        "appliedZxid", "0x7:0x3", "stateDigest", "cafe"));
    b.put("leader", 2L);
    if (withEstablished) {
      b.put("established", established);
    }
    return new KvClient.Response(200, b);
  }

  @Test
  void readsTheStatusAndHonoursEstablished() {
    NodeStatus s = NodeStatus.parse(2, 10, status(true, true, "LEADING"));
    assertThat(s.leading()).isTrue();
    assertThat(s.epoch()).isEqualTo(7);
    assertThat(s.digest()).isEqualTo("cafe");
    assertThat(NodeStatus.parse(2, 10, status(true, false, "LEADING")).leading()).isFalse();
    assertThat(NodeStatus.parse(2, 10, status(false, false, "LEADING")).leading()).isTrue(); // older servers
    assertThat(NodeStatus.parse(2, 10, new KvClient.Response(503, Map.of())).up()).isFalse();
  }

  @Test
  void theLeaderNeedsAMajorityFollowingItInItsEpoch() {
    NodeStatus leader = NodeStatus.parse(2, 0, status(true, true, "LEADING"));
    NodeStatus follower = new NodeStatus(1, 0, true, "FOLLOWING", 2L, 7, "z", "z", "d", true);
    NodeStatus stale = new NodeStatus(3, 0, true, "FOLLOWING", 2L, 6, "z", "z", "d", true);
    assertThat(Cluster.leaderOf(List.of(leader, follower, NodeStatus.down(3, 0)))).isEqualTo(2);
    assertThat(Cluster.leaderOf(List.of(leader, stale, NodeStatus.down(1, 0)))).isNull();
  }
}
