package io.zab.nemesis;

import io.zab.examples.client.KvClient;
import io.zab.examples.client.Poll;
import io.zab.nemesis.check.LinearizabilityCheck;
import io.zab.nemesis.check.LostWrites;
import io.zab.nemesis.cluster.Cluster;
import io.zab.nemesis.fault.Shapes;
import io.zab.nemesis.net.Cut;
import io.zab.nemesis.workload.History;
import io.zab.nemesis.workload.KeySpace;
import io.zab.nemesis.workload.Op;
import io.zab.nemesis.workload.OpKind;
import io.zab.nemesis.workload.Outcome;
import io.zab.nemesis.workload.Workload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Proves the checks can fail, on the live cluster. A stale read: a follower is cut off, a write is
 * acknowledged by the others, and then the follower's local read (no sync barrier, S9 allows it to be
 * stale) is recorded as if it were a linearizable read. A lost write: an acknowledged once-only put is then
 * deleted behind the history's back, so the final state lacks it as if the cluster had dropped it. The run
 * passes only if the checks report exactly these two.
 */
final class SelfTest {
  static final String STALE_KEY = "selftest-stale";
  static final String LOST_KEY = KeySpace.setKey("selftest", 1);

  private SelfTest() {}

  /** Plants both anomalies; throws if the cluster did not let them be planted as intended. */
  static void plant(Cluster cluster, History history, Progress progress) throws InterruptedException {
    int leader = Poll.until(Duration.ofSeconds(10), cluster::leader).value()
        .orElseThrow(() -> new IllegalStateException("self-test: no leader to plant the anomalies with"));
    int follower = Shapes.target(false, 0, leader, cluster.ids());
    KvClient viaLeader = cluster.client(leader);
    KvClient viaFollower = cluster.client(follower);
    expect(exec(cluster, history, leader, viaLeader, OpKind.PUT, STALE_KEY, "selftest.1"), Outcome.OK, "first write");
    Op seen = exec(cluster, history, follower, viaFollower, OpKind.READ, STALE_KEY, null);
    if (seen.outcome() != Outcome.OK || !"selftest.1".equals(seen.observed())) {
      throw new IllegalStateException("self-test: server " + follower + " does not see the first write: " + seen);
    }
    cluster.network().apply(Shapes.isolate(follower, cluster.ids()));
    cluster.network().verify();
    expect(exec(cluster, history, leader, viaLeader, OpKind.PUT, STALE_KEY, "selftest.2"), Outcome.OK, "second write");
    long call = cluster.clock().micros();
    KvClient.Response local = viaFollower.get(STALE_KEY, false);
    long ret = cluster.clock().returnAfter(call);
    String value = local.status() == 200 ? local.text("value") : null;
    history.add(new Op(history.nextId(), "selftest-planted", follower, OpKind.READ, STALE_KEY, null, null, call, ret,
        Outcome.OK, value));
    cluster.network().apply(Cut.NONE);
    cluster.network().verify();
    progress.log("self-test: planted a stale read: server %d (cut off) read %s=%s locally after %s=selftest.2 was"
        + " acknowledged", follower, STALE_KEY, value, STALE_KEY);

    expect(exec(cluster, history, leader, viaLeader, OpKind.ADD, LOST_KEY, "selftest.lost"), Outcome.OK, "once-only put");
    KvClient.Response deleted = viaLeader.delete(LOST_KEY);
    if (deleted.status() != 200) {
      throw new IllegalStateException("self-test: could not delete " + LOST_KEY + " behind the history's back: " + deleted);
    }
    progress.log("self-test: planted a lost write: the acknowledged put %s=selftest.lost was deleted behind the"
        + " history's back", LOST_KEY);
  }

  /** What went wrong with the self-test (empty: both anomalies caught, and nothing else found). */
  static List<String> evaluate(LinearizabilityCheck.Report lin, LostWrites.Report lost) {
    List<String> failures = new ArrayList<>();
    List<String> illegal = lin.illegal().stream().map(LinearizabilityCheck.KeyVerdict::key).toList();
    if (!illegal.contains(STALE_KEY)) {
      failures.add("the planted stale read on " + STALE_KEY + " was NOT caught by the linearizability check");
    }
    for (String key : illegal) {
      if (!key.equals(STALE_KEY)) {
        failures.add("key " + key + " is not linearizable, and nothing was planted there");
      }
    }
    if (!lin.undecided().isEmpty()) {
      failures.add(lin.undecided().size() + " keys were undecided");
    }
    boolean lostCaught = lost.lost().stream().anyMatch(l -> l.contains(LOST_KEY + "="));
    if (!lostCaught) {
      failures.add("the planted lost write " + LOST_KEY + " was NOT caught by the lost-write check");
    }
    if (lost.lost().size() > 1) {
      failures.add((lost.lost().size() - 1) + " other acknowledged writes were lost");
    }
    if (!lost.rejectedVisible().isEmpty()) {
      failures.add(lost.rejectedVisible().size() + " refused writes became visible");
    }
    return failures;
  }

  private static Op exec(Cluster cluster, History history, int node, KvClient kv, OpKind kind, String key, String value) {
    return Workload.execute(history, cluster.clock(), "selftest", node, kv, kind, key, value, null);
  }

  private static void expect(Op op, Outcome outcome, String what) {
    if (op.outcome() != outcome) {
      throw new IllegalStateException("self-test: the " + what + " was not acknowledged, cannot plant: " + op);
    }
  }
}
