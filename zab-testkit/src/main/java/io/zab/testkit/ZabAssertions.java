package io.zab.testkit;

/**
 * Entry point of zab's AssertJ assertions, for simulated ({@link SimCluster}) and real ({@link NodeCluster})
 * clusters. Needs {@code org.assertj:assertj-core} on the test classpath (the test kit does not bring it).
 *
 * <pre>{@code
 * import static io.zab.testkit.ZabAssertions.assertThat;
 *
 * assertThat(simCluster).hasLeader(3).withFollowers(1, 2, 4, 5);
 * assertThat(nodeCluster).hasLeader(nodeCluster.awaitLeader()).hasNoViolations();
 * }</pre>
 */
public final class ZabAssertions {
  private ZabAssertions() {}

  /**
   * Assertions on a simulated cluster; a failure names the seed that replays the run.
   *
   * @param cluster the cluster to check
   * @return its assertions
   */
  public static ClusterAssert assertThat(SimCluster cluster) {
    return new ClusterAssert(cluster);
  }

  /**
   * Assertions on a cluster of real nodes, checked at the moment they are called.
   *
   * @param cluster the cluster to check
   * @return its assertions
   */
  public static NodeClusterAssert assertThat(NodeCluster cluster) {
    return new NodeClusterAssert(cluster);
  }
}
