package io.zab.nemesis.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.nemesis.cluster.NodeStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConvergenceTest {
  private static NodeStatus s(int node, String role, long leader, long epoch, String zxid, String digest) {
    return new NodeStatus(node, 0, true, role, leader, epoch, zxid, zxid, digest);
  }

  private final List<NodeStatus> same = List.of(s(1, "FOLLOWING", 2, 3, "0x3:0x9", "ab"),
      s(2, "LEADING", 2, 3, "0x3:0x9", "ab"), s(3, "FOLLOWING", 2, 3, "0x3:0x9", "ab"));

  @Test
  void oneLeaderSameZxidsDigestsAndContentsIsConverged() {
    Map<String, String> c = Map.of("k", "v");
    assertThat(Convergence.compare(same, Map.of(1, c, 2, c, 3, c)).converged()).isTrue();
  }

  @Test
  void anyDifferenceIsNamed() {
    List<NodeStatus> behind = List.of(same.get(0), same.get(1), s(3, "FOLLOWING", 2, 3, "0x3:0x8", "cd"));
    assertThat(Convergence.statusDifferences(behind)).anyMatch(d -> d.contains("last zxid"))
        .anyMatch(d -> d.contains("state digest"));
    List<NodeStatus> looking = List.of(same.get(0), same.get(1), s(3, "LOOKING", 0, 3, "0x3:0x9", "ab"));
    assertThat(Convergence.statusDifferences(looking)).anyMatch(d -> d.contains("server 3 is LOOKING"));
    List<NodeStatus> syncing = List.of(same.get(0), same.get(1),
        new NodeStatus(3, 0, true, "FOLLOWING", 2L, 3, "0x3:0x9", "0x3:0x9", "ab", false));
    assertThat(Convergence.statusDifferences(syncing)).containsExactly("server 3 is FOLLOWING but not established in epoch 3");
    List<NodeStatus> down = List.of(same.get(0), same.get(1), NodeStatus.down(3, 0));
    assertThat(Convergence.statusDifferences(down)).containsExactly("server 3 does not answer");
    Convergence.Report contents = Convergence.compare(same, Map.of(1, Map.of("k", "v"), 2, Map.of("k", "v"), 3, Map.of()));
    assertThat(contents.converged()).isFalse();
    assertThat(contents.differences()).containsExactly("key k differs: server 1=v, server 2=v, server 3=null");
  }
}
