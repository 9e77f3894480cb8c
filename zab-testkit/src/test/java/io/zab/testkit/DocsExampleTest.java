package io.zab.testkit;

import static io.zab.testkit.ZabAssertions.assertThat;
import static java.nio.charset.StandardCharsets.UTF_8;

import org.junit.jupiter.api.Test;

/** The examples of docs/testing.md, verbatim, so the documentation cannot rot. */
class DocsExampleTest {
  @Test
  void failoverKeepsEveryAcknowledgedWrite() {
    SimCluster cluster = SimCluster.builder().servers(3).seed(7).stateMachine(RecordingStateMachine::new).build();
    cluster.startAll().runUntilStable();
    assertThat(cluster).hasLeader(3).withFollowers(1, 2);               // S3: equal zxids, largest sid
    cluster.await(cluster.submit(1, "x=1".getBytes(UTF_8)));            // a follower forwards it to the leader
    cluster.crash(3).runUntilLeaderElected();
    assertThat(cluster).hasLeader(2).withFollowers(1).hasCommitted("x=1".getBytes(UTF_8));
    RecordingStateMachine sm = cluster.stateMachine(1);
    org.assertj.core.api.Assertions.assertThat(sm.texts()).containsExactly("x=1");
  }

  @Test
  void theMajorityGoesOnWithoutTheIsolatedLeader() {
    try (NodeCluster cluster = NodeCluster.builder().servers(3).build()) {   // RecordingStateMachine by default
      cluster.startAll();
      long leader = cluster.awaitLeader();
      cluster.write(leader, "before");                       // returns once committed and applied there
      cluster.isolate(leader);
      long next = cluster.awaitLeader();                     // the majority's new leader, never the isolated one
      cluster.write(next, "during");
      cluster.heal();
      assertThat(cluster).hasLeader(cluster.awaitStable()).hasConverged().hasNoViolations();
      RecordingStateMachine sm = cluster.stateMachine(leader);
      org.assertj.core.api.Assertions.assertThat(sm.texts()).containsExactly("before", "during");
    }
  }
}
