package io.zab.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.Member;
import io.zab.Role;
import io.zab.ZabNode;
import io.zab.fixtures.LocalCluster;
import io.zab.fixtures.RecordingStateMachine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three real ZabNodes over NettyTransport on loopback, in one JVM: elect, commit, lose the leader, re-elect. */
class NettyZabClusterTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir
  Path dir;
  private List<Member> members;
  private final Map<Long, ZabNode> nodes = new HashMap<>();
  private final Map<Long, RecordingStateMachine> machines = new HashMap<>();

  private ZabNode start(long id) throws Exception {
    RecordingStateMachine sm = new RecordingStateMachine();
    ZabNode node = ZabNode.builder().serverId(id).members(members).dataDir(dir.resolve("server-" + id))
        .transport(NettyTransport.factory(TestCluster.fastConfig().build()))
        .stateMachine(sm).tick(LocalCluster.TICK).timeouts(LocalCluster.FAST).build();
    node.start();
    nodes.put(id, node);
    machines.put(id, sm);
    return node;
  }

  /** One node leads, every other running node follows it and serves a read barrier. */
  private long awaitSettledLeader() {
    long[] leader = {0};
    LocalCluster.awaitCondition(WAIT, () -> {
      long l = 0;
      for (ZabNode n : nodes.values()) {
        if (n.role() == Role.LEADING) {
          l = n.serverId();
        }
      }
      if (l == 0) {
        return false;
      }
      for (ZabNode n : nodes.values()) {
        if (n.serverId() != l && (n.role() != Role.FOLLOWING || n.leader().orElse(0) != l)) {
          return false;
        }
      }
      for (ZabNode n : nodes.values()) {
        try {
          n.sync().get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
          return false;
        }
      }
      leader[0] = l;
      return true;
    }, () -> "a settled leader: " + nodes.values());
    return leader[0];
  }

  private void write(long on, String payload, List<String> acked) throws Exception {
    nodes.get(on).submit(payload.getBytes(StandardCharsets.UTF_8)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    acked.add(payload);
  }

  @Test
  void electCommitLoseTheLeaderReelectAndLoseNoAckedWrite() throws Exception {
    members = TestCluster.members(3);
    List<String> acked = new ArrayList<>();
    try {
      for (long id = 1; id <= 3; id++) {
        start(id);
      }
      long first = awaitSettledLeader();
      for (int i = 0; i < 30; i++) {
        write(1 + i % 3, "a" + i, acked); // on followers too: forwarded to the leader
      }

      long closedAt = System.nanoTime();
      nodes.remove(first).close();
      machines.remove(first);
      long second = awaitSettledLeader();
      long failoverMillis = (System.nanoTime() - closedAt) / 1_000_000;
      assertThat(second).isNotEqualTo(first);
      for (int i = 0; i < 30; i++) {
        write(nodes.keySet().stream().toList().get(i % 2), "b" + i, acked);
      }

      start(first);
      awaitSettledLeader();
      write(first, "c", acked);
      LocalCluster.awaitCondition(WAIT,
          () -> machines.values().stream().allMatch(sm -> sm.applied().size() == acked.size()),
          () -> "every server applying " + acked.size() + " txns");
      for (RecordingStateMachine sm : machines.values()) {
        assertThat(sm.applied()).containsExactlyElementsOf(acked);
      }
      System.out.printf("netty cluster failover: leader %d closed, leader %d established (read barriers served)"
          + " after %d ms%n", first, second, failoverMillis);
    } finally {
      nodes.values().forEach(ZabNode::close);
    }
  }
}
