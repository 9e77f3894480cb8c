package io.zab.testkit;

import io.zab.Role;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import org.assertj.core.api.AbstractAssert;

/**
 * AssertJ assertions on a {@link NodeCluster} of real nodes, checked at the moment they are called (wait
 * first with {@code awaitLeader()} or {@code awaitStable()}). Entry point:
 * {@link ZabAssertions#assertThat(NodeCluster)}.
 *
 * <pre>{@code
 * long leader = cluster.awaitStable();
 * assertThat(cluster).hasLeader(leader).withFollowers(1, 2).hasConverged().hasNoViolations();
 * }</pre>
 */
public final class NodeClusterAssert extends AbstractAssert<NodeClusterAssert, NodeCluster> {
  private long leader;

  NodeClusterAssert(NodeCluster actual) {
    super(actual, NodeClusterAssert.class);
  }

  /** Server {@code id} is the established leader: it announced LEADING, with a quorum following it, connected. */
  public NodeClusterAssert hasLeader(long id) {
    isNotNull();
    long established = actual.establishedLeader();
    if (established != id) {
      failWithMessage("expected server %d to be the established leader but %s%n  %s", id,
          established == 0 ? "there is none" : "it is server " + established, actual.describe());
    }
    leader = id;
    return this;
  }

  /** Exactly these servers follow the leader named by {@link #hasLeader(long)} in its epoch. */
  public NodeClusterAssert withFollowers(long... ids) {
    if (leader == 0) {
      failWithMessage("withFollowers(...) needs hasLeader(...) first");
    }
    Set<Long> expected = new TreeSet<>();
    Arrays.stream(ids).forEach(expected::add);
    Set<Long> following = actual.followersOf(leader);
    if (!following.equals(expected)) {
      failWithMessage("expected servers %s to follow leader %d but %s do%n  %s", expected, leader, following,
          actual.describe());
    }
    return this;
  }

  /** No running server reports LEADING. */
  public NodeClusterAssert hasNoLeader() {
    isNotNull();
    for (long id : actual.runningIds()) {
      if (actual.role(id) == Role.LEADING) {
        failWithMessage("expected no leader but server %d is LEADING%n  %s", id, actual.describe());
      }
    }
    return this;
  }

  /** Server {@code id} runs and reports {@code role}. */
  public NodeClusterAssert hasRole(long id, Role role) {
    isNotNull();
    if (actual.role(id) != role) {
      failWithMessage("expected server %d to be %s but it is %s%n  %s", id, role,
          actual.isRunning(id) ? actual.role(id) : "not running", actual.describe());
    }
    return this;
  }

  /** Every running server has applied the same last zxid. */
  public NodeClusterAssert hasConverged() {
    isNotNull();
    Set<String> applied = new TreeSet<>();
    for (long id : actual.runningIds()) {
      applied.add(actual.node(id).appliedZxid().toString());
    }
    if (applied.size() > 1) {
      failWithMessage("running servers applied different prefixes %s%n  %s", applied, actual.describe());
    }
    return this;
  }

  /** Some server applied a txn with exactly this payload. */
  public NodeClusterAssert hasCommitted(byte[] payload) {
    isNotNull();
    if (!actual.wasCommitted(payload)) {
      failWithMessage("expected payload '%s' to be committed but no server applied it%n  %s", text(payload),
          actual.describe());
    }
    return this;
  }

  /** {@link #hasCommitted(byte[])} of UTF-8 text. */
  public NodeClusterAssert hasCommitted(String text) {
    return hasCommitted(text.getBytes(StandardCharsets.UTF_8));
  }

  /** No server ever applied a txn with this payload. */
  public NodeClusterAssert hasNotCommitted(byte[] payload) {
    isNotNull();
    if (actual.wasCommitted(payload)) {
      failWithMessage("expected payload '%s' never to be committed but it was%n  %s", text(payload), actual.describe());
    }
    return this;
  }

  /** {@link #hasNotCommitted(byte[])} of UTF-8 text. */
  public NodeClusterAssert hasNotCommitted(String text) {
    return hasNotCommitted(text.getBytes(StandardCharsets.UTF_8));
  }

  /** No two servers applied different txns at one zxid, and none applied out of zxid order. */
  public NodeClusterAssert hasNoViolations() {
    isNotNull();
    if (!actual.violations().isEmpty()) {
      failWithMessage("expected no safety violations but found %s", actual.violations());
    }
    return this;
  }

  private static String text(byte[] payload) {
    return new String(payload, StandardCharsets.UTF_8);
  }
}
