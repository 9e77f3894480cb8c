package io.zab.testkit;

/**
 * Entry point of zab's AssertJ assertions.
 *
 * <pre>{@code
 * import static io.zab.testkit.ZabAssertions.assertThat;
 *
 * assertThat(cluster).hasLeader(3).withFollowers(1, 2, 4, 5);
 * }</pre>
 */
public final class ZabAssertions {
  private ZabAssertions() {}

  public static ClusterAssert assertThat(SimCluster cluster) {
    return new ClusterAssert(cluster);
  }
}
