package io.zab.testkit;

import static io.zab.testkit.ZabAssertions.assertThat;

import org.junit.jupiter.api.Test;

/** The example of docs/testing.md, verbatim, so the documentation cannot rot. */
class DocsExampleTest {
  @Test
  void failoverKeepsEveryAcknowledgedIncrement() {
    SimCluster cluster = SimCluster.builder().servers(3).seed(7).stateMachine(CounterStateMachine::new).build();
    cluster.startAll().runUntilStable();
    assertThat(cluster).hasLeader(3).withFollowers(1, 2);          // S3: equal zxids, largest sid
    cluster.await(cluster.submit(1, CounterStateMachine.increment())); // a follower forwards to the leader
    cluster.crash(3).runUntilLeaderElected();
    assertThat(cluster).hasLeader(2).withFollowers(1);
    CounterStateMachine counter = cluster.stateMachine(1);
    org.assertj.core.api.Assertions.assertThat(counter.value()).isEqualTo(1);
  }
}
