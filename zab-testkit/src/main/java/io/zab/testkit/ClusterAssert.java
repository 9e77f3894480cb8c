package io.zab.testkit;

import io.zab.Role;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import org.assertj.core.api.AbstractAssert;

/**
 * AssertJ assertions on a {@link SimCluster}. Entry point: {@link ZabAssertions#assertThat(SimCluster)}.
 *
 * <pre>{@code
 * assertThat(cluster).hasLeader(3).withFollowers(1, 2, 4, 5).hasNoViolations();
 * }</pre>
 */
public final class ClusterAssert extends AbstractAssert<ClusterAssert, SimCluster> {
  private long leader;

  ClusterAssert(SimCluster actual) {
    super(actual, ClusterAssert.class);
  }

  /** Server {@code id} is the established leader: LEADING, with a quorum following it in its epoch. */
  public ClusterAssert hasLeader(long id) {
    isNotNull();
    long established = actual.establishedLeader();
    if (established != id) {
      failWithMessage("expected server %d to be the established leader but %s (seed %d)%n  %s", id,
          established == 0 ? "there is none" : "it is server " + established, actual.seed(), actual.describe());
    }
    leader = id;
    return this;
  }

  /** Exactly these servers follow the leader named by {@link #hasLeader(long)}. */
  public ClusterAssert withFollowers(long... ids) {
    if (leader == 0) {
      failWithMessage("withFollowers(...) needs hasLeader(...) first");
    }
    Set<Long> expected = new TreeSet<>();
    Arrays.stream(ids).forEach(expected::add);
    Set<Long> following = actual.followersOf(leader);
    if (!following.equals(expected)) {
      failWithMessage("expected servers %s to follow leader %d but %s do (seed %d)%n  %s", expected, leader, following,
          actual.seed(), actual.describe());
    }
    return this;
  }

  /** No server is LEADING (e.g. a minority after a partition). */
  public ClusterAssert hasNoLeader() {
    isNotNull();
    for (long id = 1; id <= actual.size(); id++) {
      if (actual.role(id) == Role.LEADING) {
        failWithMessage("expected no leader but server %d is LEADING (seed %d)%n  %s", id, actual.seed(), actual.describe());
      }
    }
    return this;
  }

  /** Server {@code id} is running in {@code role}. */
  public ClusterAssert hasRole(long id, Role role) {
    isNotNull();
    if (actual.role(id) != role) {
      failWithMessage("expected server %d to be %s but it is %s (seed %d)%n  %s", id, role,
          actual.isRunning(id) ? actual.role(id) : "not running", actual.seed(), actual.describe());
    }
    return this;
  }

  /** Every running server applied the same txns (the leader's committed ones). */
  public ClusterAssert hasConverged() {
    isNotNull();
    Set<String> applied = new TreeSet<>();
    for (long id = 1; id <= actual.size(); id++) {
      if (actual.isRunning(id)) {
        applied.add(actual.appliedZxid(id).toString());
      }
    }
    if (applied.size() > 1) {
      failWithMessage("running servers applied different prefixes %s (seed %d)%n  %s", applied, actual.seed(),
          actual.describe());
    }
    return this;
  }

  /** A txn with exactly this payload was committed. */
  public ClusterAssert hasCommitted(byte[] payload) {
    isNotNull();
    if (!actual.wasCommitted(payload)) {
      failWithMessage("expected payload '%s' to be committed but it was not (seed %d)", new String(payload,
          java.nio.charset.StandardCharsets.UTF_8), actual.seed());
    }
    return this;
  }

  /** No txn with this payload was ever committed. */
  public ClusterAssert hasNotCommitted(byte[] payload) {
    isNotNull();
    if (actual.wasCommitted(payload)) {
      failWithMessage("expected payload '%s' never to be committed but it was (seed %d)", new String(payload,
          java.nio.charset.StandardCharsets.UTF_8), actual.seed());
    }
    return this;
  }

  /** No invariant was broken (the cluster also throws {@link SimulationFailure} as soon as one is). */
  public ClusterAssert hasNoViolations() {
    isNotNull();
    if (!actual.violations().isEmpty()) {
      failWithMessage("expected no invariant violations but found %s (seed %d)", actual.violations(), actual.seed());
    }
    return this;
  }
}
