package io.zab.testkit;

import io.zab.Role;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.assertj.core.api.AbstractAssert;

/**
 * The assertions {@link ClusterAssert} (simulated clusters) and {@link NodeClusterAssert} (real ones) share,
 * written once over what each cluster can tell.
 */
abstract class BaseClusterAssert<SELF extends BaseClusterAssert<SELF, A>, A> extends AbstractAssert<SELF, A> {
  private long leader;

  BaseClusterAssert(A actual, Class<?> selfType) {
    super(actual, selfType);
  }

  abstract long establishedLeader();

  abstract Set<Long> followersOf(long leader);

  abstract List<Long> runningIds();

  abstract Role role(long id);

  abstract String appliedZxid(long id);

  abstract boolean wasCommitted(byte[] payload);

  abstract List<?> violations();

  /** What every failure message ends with: the seed of a simulation, each server's state. */
  abstract String context();

  /**
   * Server {@code id} is the established leader: it announced LEADING, with a quorum following it in its epoch
   * and still connected to it.
   *
   * @param id the server expected to lead
   * @return this assertion, to chain more
   */
  public SELF hasLeader(long id) {
    isNotNull();
    long established = establishedLeader();
    if (established != id) {
      failWithMessage("expected server %d to be the established leader but %s%s", id,
          established == 0 ? "there is none" : "it is server " + established, context());
    }
    leader = id;
    return myself;
  }

  /**
   * Exactly these servers follow the leader named by {@link #hasLeader(long)} in its epoch.
   *
   * @param ids every server expected to follow the leader, in any order
   * @return this assertion, to chain more
   */
  public SELF withFollowers(long... ids) {
    if (leader == 0) {
      failWithMessage("withFollowers(...) needs hasLeader(...) first");
    }
    Set<Long> expected = new TreeSet<>();
    Arrays.stream(ids).forEach(expected::add);
    Set<Long> following = followersOf(leader);
    if (!following.equals(expected)) {
      failWithMessage("expected servers %s to follow leader %d but %s do%s", expected, leader, following, context());
    }
    return myself;
  }

  /**
   * No running server is LEADING (a minority after a partition, once it noticed).
   *
   * @return this assertion, to chain more
   */
  public SELF hasNoLeader() {
    isNotNull();
    for (long id : runningIds()) {
      if (role(id) == Role.LEADING) {
        failWithMessage("expected no leader but server %d is LEADING%s", id, context());
      }
    }
    return myself;
  }

  /**
   * Server {@code id} is running in {@code role}.
   *
   * @param id the server
   * @param role the role it is expected to be in
   * @return this assertion, to chain more
   */
  public SELF hasRole(long id, Role role) {
    isNotNull();
    Role actualRole = role(id);
    if (actualRole != role) {
      failWithMessage("expected server %d to be %s but it is %s%s", id, role,
          actualRole == null ? "not running" : actualRole, context());
    }
    return myself;
  }

  /**
   * Every running server applied the same txns (the same last zxid).
   *
   * @return this assertion, to chain more
   */
  public SELF hasConverged() {
    isNotNull();
    Set<String> applied = new TreeSet<>();
    runningIds().forEach(id -> applied.add(appliedZxid(id)));
    if (applied.size() > 1) {
      failWithMessage("running servers applied different prefixes %s%s", applied, context());
    }
    return myself;
  }

  /**
   * A txn with exactly this payload was committed (some server applied it).
   *
   * @param payload the txn's bytes
   * @return this assertion, to chain more
   */
  public SELF hasCommitted(byte[] payload) {
    isNotNull();
    if (!wasCommitted(payload)) {
      failWithMessage("expected payload '%s' to be committed but it was not%s", text(payload), context());
    }
    return myself;
  }

  /**
   * No txn with this payload was ever committed.
   *
   * @param payload the txn's bytes
   * @return this assertion, to chain more
   */
  public SELF hasNotCommitted(byte[] payload) {
    isNotNull();
    if (wasCommitted(payload)) {
      failWithMessage("expected payload '%s' never to be committed but it was%s", text(payload), context());
    }
    return myself;
  }

  /**
   * No safety invariant was broken.
   *
   * @return this assertion, to chain more
   */
  public SELF hasNoViolations() {
    isNotNull();
    if (!violations().isEmpty()) {
      failWithMessage("expected no invariant violations but found %s%s", violations(), context());
    }
    return myself;
  }

  private static String text(byte[] payload) {
    return new String(payload, StandardCharsets.UTF_8);
  }
}
