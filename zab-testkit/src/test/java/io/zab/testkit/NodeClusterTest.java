package io.zab.testkit;

import static io.zab.testkit.ZabAssertions.assertThat;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zab.Applied;
import io.zab.ResultStateMachine;
import io.zab.Role;
import io.zab.Zxid;
import io.zab.testkit.timeline.TimelineEvent;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Real ZabNodes in one JVM: elections, writes, isolation, restarts, the timeline, and what fails loudly. */
class NodeClusterTest {

  @Test
  void s10_afterIsolatingTheLeaderAwaitLeaderReturnsTheMajoritysNewLeaderAndNothingIsLost() {
    try (NodeCluster cluster = NodeCluster.builder().servers(3).build()) {
      cluster.startAll();
      long old = cluster.awaitLeader();
      long follower = old == 1 ? 2 : 1;
      cluster.write(follower, "before");                       // forwarded to the leader

      cluster.isolate(old);
      assertThat(cluster.establishedLeader()).as("cut off, it is no longer the leader").isNotEqualTo(old);
      long next = cluster.awaitLeader();
      assertThat(next).as("the isolated server is not the leader any more").isNotEqualTo(old);
      cluster.write(next, "during");

      cluster.heal();
      long leader = cluster.awaitStable();
      assertThat(cluster).hasLeader(leader).hasConverged().hasCommitted("before").hasCommitted("during")
          .hasNotCommitted("never").hasNoViolations();
      RecordingStateMachine sm = cluster.stateMachine(old);
      assertThat(sm.texts()).containsExactly("before", "during");
    }
  }

  /** Issue 16: the cluster observes a ResultStateMachine without hiding its results from submitForResult. */
  @Test
  void submitForResultGetsTheTestsStateMachineResultAndTheChecksStillSeeEveryApply() throws Exception {
    try (NodeCluster cluster = NodeCluster.builder().servers(3).stateMachine(Lengths::new).build()) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      long follower = leader == 1 ? 2 : 1;
      Applied<Integer> applied = cluster.node(follower).<Integer>submitForResult("four".getBytes(UTF_8))
          .get(10, TimeUnit.SECONDS);
      assertThat(applied.result()).isEqualTo(4);
      assertThat(cluster.<Lengths>stateMachine(follower).total).isEqualTo(4);
      assertThat(cluster).hasCommitted("four").hasNoViolations();
    }
  }

  /** Returns the length of each txn; its state is their sum. */
  private static final class Lengths implements ResultStateMachine<Integer> {
    private volatile long total;

    @Override
    public Integer applyForResult(Zxid zxid, ByteBuffer txn) {
      total += txn.remaining();
      return txn.remaining();
    }

    @Override
    public void snapshot(OutputStream out) throws IOException {
      new DataOutputStream(out).writeLong(total);
    }

    @Override
    public void restore(InputStream in) throws IOException {
      total = new DataInputStream(in).readLong();
    }
  }

  @Test
  void aRestartedServerRecoversFromItsDiskWithAFreshStateMachine() {
    try (NodeCluster cluster = NodeCluster.builder().servers(3).configure(b -> b.snapshotEveryTxns(3)).build()) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      long victim = leader == 3 ? 2 : 3;
      RecordingStateMachine before = cluster.stateMachine(victim);
      for (int i = 0; i < 7; i++) {
        cluster.write(leader, "w" + i);
      }
      cluster.restart(victim);
      cluster.awaitStable();
      RecordingStateMachine after = cluster.stateMachine(victim);
      assertThat(after).isNotSameAs(before);
      assertThat(after.texts()).containsExactly("w0", "w1", "w2", "w3", "w4", "w5", "w6");
      assertThat(Files.isDirectory(cluster.dataDir(victim))).isTrue();
    }
  }

  @Test
  void theTimelineShowsStartsElectionsCutsAndCommits() {
    try (NodeCluster cluster = NodeCluster.builder().servers(3).name("timeline test").build()) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      cluster.write(leader, "x");
      cluster.partition(Set.of(leader), Set.of(leader == 1 ? 2L : 1L));
      cluster.note("a note of the test's own");
      cluster.heal();
      cluster.stop(leader);

      List<TimelineEvent> events = cluster.timeline().events();
      assertThat(events).filteredOn(TimelineEvent.Started.class::isInstance).hasSize(3);
      assertThat(events).filteredOn(TimelineEvent.RoleChanged.class::isInstance).map(TimelineEvent.RoleChanged.class::cast)
          .anySatisfy(r -> {
            assertThat(r.server()).isEqualTo(leader);
            assertThat(r.role()).isEqualTo(Role.LEADING);
          });
      assertThat(events).filteredOn(TimelineEvent.Committed.class::isInstance).hasSizeGreaterThanOrEqualTo(1);
      assertThat(events).filteredOn(TimelineEvent.NetworkChanged.class::isInstance).hasSize(2);
      assertThat(events).filteredOn(TimelineEvent.Stopped.class::isInstance).map(TimelineEvent.Stopped.class::cast)
          .singleElement().satisfies(stop -> {
            assertThat(stop.server()).isEqualTo(leader);
            assertThat(stop.crashed()).isFalse();
          });
      assertThat(cluster.timeline().title()).startsWith("timeline test, 3 servers over the in-JVM network");
      assertThat(cluster.timeline().text()).contains("a note of the test's own");
    }
  }

  @Test
  void aWaitThatTimesOutSaysWhatItWaitedForAndWhatTheClusterLooksLike() {
    try (NodeCluster cluster = NodeCluster.builder().servers(3).build()) {
      cluster.start(1);                                        // no quorum: nobody can lead
      assertThatThrownBy(() -> cluster.awaitLeader(Duration.ofMillis(300)))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("timed out after 300 ms waiting for an established leader")
          .hasMessageContaining("s1=LOOKING").hasMessageContaining("s2=down").hasMessageContaining("s1 started");
    }
  }

  @Test
  void closeStopsEveryServerAndDeletesTheTemporaryData() {
    Path dir;
    try (NodeCluster cluster = NodeCluster.builder().servers(3).build()) {
      cluster.startAll().awaitLeader();
      dir = cluster.dataDir(1).getParent();
      assertThat(dir).isDirectory();
    }
    assertThat(dir).doesNotExist();
  }

  @Test
  void overNettyServersElectWriteAndFailOverButTheNetworkCannotBeCut() {
    try (NodeCluster cluster = NodeCluster.builder().servers(3).overNetty().build()) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      cluster.write(leader, "over netty");
      assertThatThrownBy(() -> cluster.isolate(leader)).isInstanceOf(UnsupportedOperationException.class)
          .hasMessageContaining("partitions need the in-JVM network");
      cluster.stop(leader);
      long next = cluster.awaitLeader();
      assertThat(next).isNotEqualTo(leader);
      cluster.write(next, "after failover");
      RecordingStateMachine sm = cluster.stateMachine(next);
      assertThat(sm.texts()).containsExactly("over netty", "after failover");
      assertThat(cluster.timeline().title()).contains("over the Netty on loopback");
    }
  }

  @Test
  void badArgumentsNameWhatIsWrong() {
    try (NodeCluster cluster = NodeCluster.builder().servers(3).build()) {
      assertThatThrownBy(() -> cluster.start(4)).hasMessage("no server 4 (servers are 1..3)");
      assertThatThrownBy(() -> cluster.node(2)).hasMessageContaining("server 2 is not running");
      cluster.start(1);
      assertThatThrownBy(() -> cluster.start(1)).hasMessage("server 1 is already running");
    }
    assertThatThrownBy(() -> NodeCluster.builder().servers(0)).hasMessage("servers must be in [1, 64], got 0");
  }
}
