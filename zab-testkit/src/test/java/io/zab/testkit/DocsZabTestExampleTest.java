package io.zab.testkit;

import io.zab.testkit.junit.ZabTest;
import org.junit.jupiter.api.Test;

/** The {@code @ZabTest} example of docs/testing.md, verbatim (class name aside). */
@ZabTest(servers = 3)
class DocsZabTestExampleTest {
  @Test
  void survivesALeaderRestart(NodeCluster cluster) {     // started, closed after the test
    long leader = cluster.awaitLeader();
    cluster.write(leader, "order-1");
    cluster.restart(leader);
    cluster.awaitStable();
  }

  @Test
  @ZabTest(servers = 5, seed = 42)                       // a method's annotation wins over the class's
  void simulated(SimCluster cluster) {
    cluster.runUntilStable();
  }
}
