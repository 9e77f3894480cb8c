package io.zab.nemesis.figures;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.nemesis.cluster.NodeStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeaderTimelineTest {
  private static NodeStatus at(long t, int node, String role, Long leader, long epoch) {
    return new NodeStatus(node, t, true, role, leader, epoch, "z", "z", "d");
  }

  @Test
  void countsTheStretchWhereNoMajorityFollowsALeader() {
    List<NodeStatus> s = new ArrayList<>();
    for (long t = 0; t < 10_000; t += 100) {
      boolean gap = t >= 3_000 && t < 5_000; // server 2 (the leader) is cut off: the others look
      s.add(at(t, 1, gap ? "LOOKING" : "FOLLOWING", gap ? null : 2L, 1));
      s.add(at(t, 2, "LEADING", 2L, 1)); // it does not know yet
      s.add(at(t, 3, gap ? "LOOKING" : "FOLLOWING", gap ? null : 2L, 1));
    }
    LeaderTimeline.Leaderless l = LeaderTimeline.leaderless(s, 3, 0, 10_000, 100, 1_000);
    assertThat(l.totalMicros()).isEqualTo(2_000);
    assertThat(l.longestMicros()).isEqualTo(2_000);
  }

  @Test
  void silentServersDoNotCountOnceTheirSampleIsStale() {
    List<NodeStatus> s = List.of(at(0, 1, "FOLLOWING", 2L, 1), at(0, 2, "LEADING", 2L, 1), NodeStatus.down(3, 0));
    LeaderTimeline.Leaderless l = LeaderTimeline.leaderless(s, 3, 0, 5_000, 100, 1_000);
    assertThat(l.totalMicros()).isEqualTo(5_000 - 1_100); // led while the samples were fresh (0..1000 inclusive)
  }

  @Test
  void aLeaderStillSyncingItsQuorumIsNoLeaderYet() {
    List<NodeStatus> s = List.of(at(0, 1, "FOLLOWING", 2L, 4),
        new NodeStatus(0, 2, true, "LEADING", 2L, 4, "z", "z", "d", false),
        new NodeStatus(0, 3, true, "FOLLOWING", 2L, 4, "z", "z", "d", true));
    assertThat(LeaderTimeline.leaderless(s, 3, 0, 500, 100, 1_000).totalMicros()).isEqualTo(500);
  }

  @Test
  void aLeaderOfAnotherEpochIsNoBacking() {
    List<NodeStatus> s = List.of(at(0, 1, "FOLLOWING", 2L, 1), at(0, 2, "LEADING", 2L, 2), at(0, 3, "LOOKING", null, 2));
    assertThat(LeaderTimeline.leaderless(s, 3, 0, 500, 100, 1_000).totalMicros()).isEqualTo(500);
  }
}
