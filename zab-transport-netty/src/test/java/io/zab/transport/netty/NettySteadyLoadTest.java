package io.zab.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.Member;
import io.zab.Role;
import io.zab.ZabListener;
import io.zab.ZabNode;
import io.zab.fixtures.LocalCluster;
import io.zab.fixtures.RecordingStateMachine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three ZabNodes over NettyTransport under many writes in flight, submitted on the leader and on both followers
 * (forwarded), with no fault at all: nobody may leave its role. The runtime sends from the protocol thread, from the
 * log writer and from the event loops (a received message's batch), all at once; a message that overtook an earlier
 * one on its connection made a follower refuse the leader's next proposal ("does not follow the last logged zxid")
 * and start an election (S2: FIFO channels; S9: a follower logs the leader's proposals in order).
 */
class NettySteadyLoadTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int WRITES = 6_000;
  private static final int IN_FLIGHT = 192;

  @TempDir
  Path dir;

  @Test
  void manyWritesInFlightThroughEveryServerAndNobodyLeavesItsRole() throws Exception {
    List<Member> members = TestCluster.members(3);
    List<ZabNode> nodes = new ArrayList<>();
    List<RecordingStateMachine> machines = new ArrayList<>();
    ConcurrentLinkedQueue<ZabListener.RoleChange> changes = new ConcurrentLinkedQueue<>();
    try {
      for (long id = 1; id <= 3; id++) {
        RecordingStateMachine sm = new RecordingStateMachine();
        ZabNode node = ZabNode.builder().serverId(id).members(members).dataDir(dir.resolve("server-" + id))
            .transport(NettyTransport.factory(TestCluster.fastConfig().build()))
            .stateMachine(sm).tick(LocalCluster.TICK).timeouts(LocalCluster.STEADY).build();
        node.start();
        nodes.add(node);
        machines.add(sm);
      }
      LocalCluster.awaitCondition(WAIT, () -> settled(nodes), () -> "a settled leader: " + nodes);
      long epoch = nodes.get(0).epoch();
      nodes.forEach(n -> n.addListener(changes::add));

      Semaphore window = new Semaphore(IN_FLIGHT);
      List<CompletableFuture<?>> writes = new ArrayList<>();
      for (int i = 0; i < WRITES; i++) {
        assertThat(window.tryAcquire(WAIT.toSeconds(), TimeUnit.SECONDS)).as("room for write %d", i).isTrue();
        byte[] payload = ("w" + i).getBytes(StandardCharsets.UTF_8);
        writes.add(nodes.get(i % 3).submit(payload).whenComplete((z, e) -> window.release()));
      }
      CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(WAIT.toSeconds(), TimeUnit.SECONDS);

      assertThat(changes).as("role changes under load without faults").isEmpty();
      assertThat(nodes).allSatisfy(n -> assertThat(n.epoch()).isEqualTo(epoch));
      LocalCluster.awaitCondition(WAIT, () -> machines.stream().allMatch(sm -> sm.applied().size() == WRITES),
          () -> "every server applying " + WRITES + " txns");
      assertThat(machines.get(1).applied()).containsExactlyElementsOf(machines.get(0).applied());
      assertThat(machines.get(2).applied()).containsExactlyElementsOf(machines.get(0).applied());
    } finally {
      nodes.forEach(ZabNode::close);
    }
  }

  private static boolean settled(List<ZabNode> nodes) {
    long leaders = nodes.stream().filter(n -> n.role() == Role.LEADING).count();
    long following = nodes.stream().filter(n -> n.role() == Role.FOLLOWING).count();
    if (leaders != 1 || following != nodes.size() - 1) {
      return false;
    }
    for (ZabNode n : nodes) { // established: every server serves a read barrier
      try {
        n.sync().get(2, TimeUnit.SECONDS);
      } catch (Exception e) {
        return false;
      }
    }
    return true;
  }
}
