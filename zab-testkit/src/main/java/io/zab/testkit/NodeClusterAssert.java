package io.zab.testkit;

import io.zab.Role;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * AssertJ assertions on a {@link NodeCluster} of real nodes, checked at the moment they are called (wait
 * first with {@code awaitLeader()} or {@code awaitStable()}). Entry point:
 * {@link ZabAssertions#assertThat(NodeCluster)}. {@link #hasNoViolations()} checks Agreement (no two servers
 * applied different txns at one zxid) and that each server applied in zxid order.
 *
 * <pre>{@code
 * long leader = cluster.awaitStable();
 * assertThat(cluster).hasLeader(leader).withFollowers(1, 2).hasConverged().hasNoViolations();
 * }</pre>
 */
public final class NodeClusterAssert extends BaseClusterAssert<NodeClusterAssert, NodeCluster> {

  NodeClusterAssert(NodeCluster actual) {
    super(actual, NodeClusterAssert.class);
  }

  /**
   * {@link #hasCommitted(byte[])} of UTF-8 text.
   *
   * @param text the txn's payload as text
   * @return this assertion, to chain more
   */
  public NodeClusterAssert hasCommitted(String text) {
    return hasCommitted(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * {@link #hasNotCommitted(byte[])} of UTF-8 text.
   *
   * @param text the txn's payload as text
   * @return this assertion, to chain more
   */
  public NodeClusterAssert hasNotCommitted(String text) {
    return hasNotCommitted(text.getBytes(StandardCharsets.UTF_8));
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
    return actual.runningIds();
  }

  @Override
  Role role(long id) {
    return actual.role(id);
  }

  @Override
  String appliedZxid(long id) {
    return actual.node(id).appliedZxid().toString();
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
    return String.format("%n  %s", actual.describe());
  }
}
