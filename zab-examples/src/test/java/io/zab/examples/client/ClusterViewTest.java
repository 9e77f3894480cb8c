package io.zab.examples.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.examples.client.ClusterView.NodeStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterViewTest {

  private static NodeStatus node(long id, String role, Long leader, long epoch) {
    return node(id, role, leader, epoch, !role.equals("LOOKING"));
  }

  private static NodeStatus node(long id, String role, Long leader, long epoch, boolean established) {
    Map<String, Object> s = new HashMap<>();
    s.put("established", established);
    s.put("id", id);
    s.put("role", role);
    s.put("leader", leader);
    s.put("epoch", epoch);
    return new NodeStatus("http://n" + id, s, null);
  }

  private static NodeStatus down(long id) {
    return new NodeStatus("http://n" + id, null, "connection refused");
  }

  @Test
  void s1_settledWhenEveryLiveNodeFollowsOneLeadingNodeInOneEpoch() {
    ClusterView v = new ClusterView(List.of(node(1, "FOLLOWING", 3L, 2), node(2, "FOLLOWING", 3L, 2),
        node(3, "LEADING", 3L, 2)));
    assertThat(v.settledLeader(3)).contains(3L);
  }

  @Test
  void s1_notSettledWhileLookingDisagreeingOrLeaderDown() {
    assertThat(new ClusterView(List.of(node(1, "LOOKING", null, 1), node(2, "LEADING", 2L, 1))).settledLeader(2))
        .isEmpty();
    assertThat(new ClusterView(List.of(node(1, "FOLLOWING", 2L, 1), node(2, "LEADING", 2L, 2))).settledLeader(2))
        .isEmpty();
    // Followers still naming a leader that is down (nobody reports LEADING): not settled.
    assertThat(new ClusterView(List.of(node(1, "FOLLOWING", 3L, 1), node(2, "FOLLOWING", 3L, 1), down(3)))
        .settledLeader(2)).isEmpty();
    // Fewer nodes up than required.
    assertThat(new ClusterView(List.of(node(1, "FOLLOWING", 2L, 1), node(2, "LEADING", 2L, 1), down(3)))
        .settledLeader(3)).isEmpty();
  }

  @Test
  void s7_notSettledWhileAFollowerStillSyncsItsEpoch() {
    ClusterView syncing = new ClusterView(List.of(node(1, "FOLLOWING", 3L, 2, false), node(2, "FOLLOWING", 3L, 2),
        node(3, "LEADING", 3L, 2)));
    assertThat(syncing.settledLeader(3)).isEmpty();
    assertThat(syncing.table()).contains("2*").contains("epoch not established yet");
  }

  @Test
  void tableShowsDownNodes() {
    String table = new ClusterView(List.of(node(1, "LEADING", 1L, 4), down(2))).table();
    assertThat(table).contains("LEADING").contains("DOWN").contains("http://n2");
  }
}
