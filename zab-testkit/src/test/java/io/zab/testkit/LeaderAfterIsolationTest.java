package io.zab.testkit;

import static io.zab.testkit.ZabAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.zab.Role;
import io.zab.testkit.sim.SimRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The trap of docs/testing.md: right after {@code isolate(leader)} the old leader (and its followers) still
 * say LEADING/FOLLOWING until they notice. {@code runUntilLeaderElected()} must wait for the majority's new
 * leader rather than return the cut-off one (S10: the minority cannot commit, so it is not "the leader").
 */
class LeaderAfterIsolationTest {

  @Test
  void s10_runUntilLeaderElectedAfterIsolatingTheLeaderWaitsForTheNewOne() {
    SimCluster cluster = SimCluster.builder().servers(3).seed(11).stateMachine(RecordingStateMachine::new).build();
    cluster.startAll().runUntilStable();
    long old = cluster.establishedLeader();
    assertThat(old).isEqualTo(3);

    cluster.isolate(old);
    assertThat(cluster.role(old)).as("the isolated leader has not noticed yet").isEqualTo(Role.LEADING);
    cluster.runUntilLeaderElected();

    long now = cluster.establishedLeader();
    assertThat(now).isNotEqualTo(old);
    assertThat(cluster).hasLeader(2).withFollowers(1);
    SimRequest write = cluster.await(cluster.submit(now, "after".getBytes(StandardCharsets.UTF_8)));
    assertThat(write.status()).as("%s", write).isEqualTo(SimRequest.Status.COMPLETED);
  }
}
