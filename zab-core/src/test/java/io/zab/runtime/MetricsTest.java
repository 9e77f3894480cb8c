package io.zab.runtime;

import static io.zab.fixtures.LocalCluster.WAIT;
import static io.zab.fixtures.LocalCluster.awaitCondition;
import static io.zab.fixtures.LocalCluster.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.zab.ClusterConfiguration;
import io.zab.Member;
import io.zab.ZabNode;
import io.zab.fixtures.LocalCluster;
import io.zab.fixtures.RecordingMetrics;
import io.zab.metrics.MetricNames;
import io.zab.fixtures.RecordingMetrics.Meters;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a node reports through the metrics SPI, with a binding that records everything. */
class MetricsTest {
  @TempDir
  Path dir;

  @AutoClose
  private LocalCluster cluster;

  @Test
  void replicationIsMeasuredPerBatchOnEveryServer() throws Exception {
    RecordingMetrics metrics = new RecordingMetrics();
    cluster = new LocalCluster(dir, 3, b -> b.metrics(metrics)).startAll();
    ZabNode leader = cluster.awaitLeader();
    int n = 50;
    List<CompletableFuture<?>> writes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      writes.add(leader.submit(bytes("write-" + (i % 10)))); // 7 bytes each
    }
    for (CompletableFuture<?> w : writes) {
      w.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
    cluster.awaitApplied(cluster.ids(), cluster.sm(leader.serverId()).applied());

    Meters m = metrics.of(leader.serverId());
    assertThat(m.counter(MetricNames.APPENDED_TXNS)).isEqualTo(n);
    assertThat(m.counter(MetricNames.APPENDED_BYTES)).isEqualTo(7L * n);
    assertThat(m.counter(MetricNames.COMMITTED_TXNS)).isEqualTo(n);
    List<Long> batches = m.recorded(MetricNames.BATCH_TXNS);
    assertThat(batches.stream().mapToLong(Long::longValue).sum()).isEqualTo(n);
    assertThat(m.recorded(MetricNames.BATCH_BYTES).stream().mapToLong(Long::longValue).sum()).isEqualTo(7L * n);
    assertThat(m.recorded(MetricNames.COMMIT_LATENCY)).as("one record per batch, every batch committed")
        .hasSameSizeAs(batches).allMatch(nanos -> nanos >= 0);
    assertThat(m.recorded(MetricNames.FSYNC_LATENCY)).as("group commit: at most one fsync per batch here")
        .isNotEmpty().allMatch(nanos -> nanos >= 0);
    for (long id : cluster.ids()) {
      Meters s = metrics.of(id);
      assertThat(s.counter(MetricNames.ELECTIONS)).as("server %d", id).isEqualTo(1);
      assertThat(s.recorded(MetricNames.ELECTION_DURATION)).hasSize(1).allMatch(nanos -> nanos > 0);
      awaitCondition(WAIT, () -> s.counter(MetricNames.COMMITTED_TXNS) == n, () -> "server " + id + " commits");
      awaitCondition(WAIT, () -> s.recorded(MetricNames.COMMIT_LATENCY).size()
          == s.recorded(MetricNames.BATCH_TXNS).size(), () -> "server " + id + " timed every batch's commit");
      assertThat(s.gauge(MetricNames.APPLY_BACKLOG_TXNS)).isZero();
      assertThat(s.gauge(MetricNames.APPLY_BACKLOG_BYTES)).isZero();
      awaitCondition(WAIT, () -> s.gauge(MetricNames.LOG_MEMORY_TXNS) == n
          && s.gauge(MetricNames.LOG_MEMORY_BYTES) == 7L * n, () -> "server " + id + " reports the log it holds");
      assertThat(s.gauge(MetricNames.ESTABLISHED)).isEqualTo(1);
      assertThat(s.gauge(MetricNames.EPOCH)).isEqualTo(leader.epoch());
      assertThat(s.gauge(MetricNames.ROLE)).isEqualTo(id == leader.serverId() ? 2 : 1);
    }
  }

  @Test
  void theLeaderReportsEachFollowerAndOtherServersReportNoValue() throws Exception {
    RecordingMetrics metrics = new RecordingMetrics();
    cluster = new LocalCluster(dir, 3, b -> b.metrics(metrics)).startAll();
    ZabNode leader = cluster.awaitLeader();
    cluster.write(leader.serverId(), "x");
    Meters m = metrics.of(leader.serverId());
    for (long id : cluster.ids()) {
      if (id == leader.serverId()) {
        continue;
      }
      String peer = "{peer=" + id + "}";
      awaitCondition(WAIT, () -> m.gauge(MetricNames.FOLLOWER_LAG_TXNS + peer) == 0
          && m.gauge(MetricNames.FOLLOWER_CONNECTED + peer) == 1, () -> "follower " + id + " caught up");
      assertThat(m.gauge(MetricNames.FOLLOWER_LAG_BYTES + peer)).isZero();
      Meters follower = metrics.of(id);
      String leaderTag = "{peer=" + leader.serverId() + "}";
      assertThat(follower.gauge(MetricNames.FOLLOWER_LAG_TXNS + leaderTag)).as("not leading: no value").isNaN();
    }
  }

  @Test
  void aClosedNodeClosesItsMeters() throws Exception {
    RecordingMetrics metrics = new RecordingMetrics();
    cluster = new LocalCluster(dir, 1, b -> b.metrics(metrics));
    cluster.start(1);
    assertThat(metrics.of(1).closed()).isFalse();
    cluster.stop(1);
    assertThat(metrics.of(1).closed()).isTrue();
  }

  /**
   * Issue 11: a member added by a reconfiguration gets its per-follower gauges on the leader and a line in its status,
   * and both go when a reconfiguration removes it; the gauges follow the membership in force, not the builder's list.
   */
  @Test
  void perFollowerGaugesAndStatusFollowReconfigurations() throws Exception {
    RecordingMetrics metrics = new RecordingMetrics();
    cluster = new LocalCluster(dir, 3, b -> b.metrics(metrics)).startAll();
    ZabNode leader = cluster.awaitLeader();
    cluster.startWith(4, b -> b.observers(List.of(Member.local(4))));
    Meters m = metrics.of(leader.serverId());
    String peer4 = MetricNames.FOLLOWER_CONNECTED + "{peer=4}";
    assertThat(m.gaugeKeys()).doesNotContain(peer4);

    ClusterConfiguration added = leader.reconfigure(leader.configuration().withObserver(Member.local(4)))
        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    awaitCondition(WAIT, () -> m.gaugeKeys().contains(peer4) && m.gauge(peer4) == 1
        && leader.status().follower(4).isPresent(), () -> "server 4's gauges and status on the leader: " + m.gaugeKeys());
    assertThat(leader.status().follower(4).orElseThrow().voter()).isFalse();

    leader.reconfigure(added.without(4)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    awaitCondition(WAIT, () -> !m.gaugeKeys().contains(peer4) && leader.status().follower(4).isEmpty(),
        () -> "server 4's gauges and status gone from the leader: " + m.gaugeKeys());
    assertThat(m.gaugeKeys()).as("the other followers' gauges stay")
        .contains(MetricNames.FOLLOWER_CONNECTED + "{peer=" + (leader.serverId() == 1 ? 2 : 1) + "}");
  }
}
