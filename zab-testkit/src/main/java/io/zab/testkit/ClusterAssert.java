package io.zab.testkit;

import io.zab.Role;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;

/**
 * AssertJ assertions on a {@link SimCluster}. Entry point: {@link ZabAssertions#assertThat(SimCluster)}.
 * Every failure names the seed that replays the run.
 *
 * <pre>{@code
 * assertThat(cluster).hasLeader(3).withFollowers(1, 2, 4, 5).hasNoViolations();
 * }</pre>
 */
public final class ClusterAssert extends BaseClusterAssert<ClusterAssert, SimCluster> {

  ClusterAssert(SimCluster actual) {
    super(actual, ClusterAssert.class);
  }

  @Override
  long establishedLeader() {
    return actual.establishedLeader();
  }

  @Override
  Set<Long> followersOf(long leader) {
    return actual.followersOf(leader);
  }

  @Override
  List<Long> runningIds() {
    return LongStream.rangeClosed(1, actual.size()).filter(actual::isRunning).boxed().toList();
  }

  @Override
  Role role(long id) {
    return actual.role(id);
  }

  @Override
  String appliedZxid(long id) {
    return actual.appliedZxid(id).toString();
  }

  @Override
  boolean wasCommitted(byte[] payload) {
    return actual.wasCommitted(payload);
  }

  @Override
  List<?> violations() {
    return actual.violations();
  }

  @Override
  String context() {
    return String.format(" (seed %d)%n  %s", actual.seed(), actual.describe());
  }
}
