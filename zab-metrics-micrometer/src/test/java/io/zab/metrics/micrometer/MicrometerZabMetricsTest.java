package io.zab.metrics.micrometer;

import static io.zab.fixtures.LocalCluster.WAIT;
import static io.zab.fixtures.LocalCluster.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.zab.ZabNode;
import io.zab.metrics.MetricNames;
import io.zab.metrics.NodeMetrics;
import io.zab.fixtures.LocalCluster;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MicrometerZabMetricsTest {
  @TempDir
  Path dir;

  @AutoClose
  private LocalCluster cluster;

  @Test
  void aClusterReportsItsMetersPerServerAndRemovesThemWhenANodeCloses() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    cluster = new LocalCluster(dir, 3, b -> b.metrics(MicrometerZabMetrics.of(registry))).startAll();
    ZabNode leader = cluster.awaitLeader();
    String id = Long.toString(leader.serverId());
    for (int i = 0; i < 20; i++) {
      cluster.write(leader.serverId(), "w" + i);
    }

    assertThat(registry.get(MetricNames.APPENDED_TXNS).tag("server", id).counter().count()).isEqualTo(20);
    assertThat(registry.get(MetricNames.COMMITTED_TXNS).tag("server", id).counter().count()).isEqualTo(20);
    assertThat(registry.get(MetricNames.COMMIT_LATENCY).tag("server", id).timer().count()).isPositive();
    assertThat(registry.get(MetricNames.FSYNC_LATENCY).tag("server", id).timer().totalTime(TimeUnit.NANOSECONDS))
        .isPositive();
    assertThat(registry.get(MetricNames.BATCH_TXNS).tag("server", id).summary().totalAmount()).isEqualTo(20);
    assertThat(registry.get(MetricNames.ROLE).tag("server", id).gauge().value()).isEqualTo(2);
    assertThat(registry.get(MetricNames.ELECTIONS).tags("server", id).counter().count()).isEqualTo(1);
    for (long f : cluster.ids()) {
      if (f != leader.serverId()) {
        String peer = Long.toString(f);
        awaitCondition(WAIT, () -> registry.get(MetricNames.FOLLOWER_LAG_TXNS).tags("server", id, "peer", peer)
            .gauge().value() == 0, () -> "follower " + peer + " caught up");
        assertThat(registry.get(MetricNames.FOLLOWER_CONNECTED).tags("server", id, "peer", peer).gauge().value())
            .isEqualTo(1);
      }
    }
    int before = registry.getMeters().size();
    long perServer = registry.getMeters().stream().filter(m -> id.equals(m.getId().getTag("server"))).count();
    assertThat(perServer).isPositive();

    cluster.stop(leader.serverId());
    assertThat(registry.getMeters()).as("the closed node's meters are gone")
        .noneMatch(m -> id.equals(m.getId().getTag("server")));
    assertThat(registry.getMeters()).hasSize(before - (int) perServer);
  }

  @Test
  void viewsAddTheirTagsAndCommonTagsReachEveryMeter() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    NodeMetrics m = MicrometerZabMetrics.of(registry, Tags.of("ensemble", "orders")).forServer(4);
    m.counter("zab.test.pushed", "txns", "pushed").increment(3);
    long[] pulled = {7};
    m.tagged("peer", "5").counter("zab.test.pulled", "bytes", "pulled", () -> pulled[0]);
    m.tagged("peer", "5").gauge("zab.test.gauge", null, "gauge", () -> 1.5);
    m.histogram("zab.test.sizes", "bytes", "sizes").record(10);
    m.timer("zab.test.latency", "latency").recordNanos(2_000_000);

    assertThat(registry.get("zab.test.pushed").tags("server", "4", "ensemble", "orders").counter().count()).isEqualTo(3);
    assertThat(registry.get("zab.test.pulled").tags("server", "4", "peer", "5").functionCounter().count()).isEqualTo(7);
    assertThat(registry.get("zab.test.gauge").tags("peer", "5").gauge().value()).isEqualTo(1.5);
    assertThat(registry.get("zab.test.sizes").summary().totalAmount()).isEqualTo(10);
    assertThat(registry.get("zab.test.latency").timer().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(2);
    assertThat(registry.get("zab.test.sizes").summary().getId().getBaseUnit()).isEqualTo("bytes");

    m.close();
    m.close();
    assertThat(registry.getMeters()).extracting(Meter::getId).isEmpty();
  }

  /** Issue 11: a follower removed by a reconfiguration takes its gauges along; the node's other meters stay. */
  @Test
  void closingAViewRemovesOnlyItsMeters() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    NodeMetrics m = MicrometerZabMetrics.of(registry).forServer(1);
    m.gauge("zab.test.role", null, "role", () -> 2);
    NodeMetrics peer2 = m.tagged("peer", "2");
    peer2.gauge("zab.test.lag", "txns", "lag", () -> 3);
    m.tagged("peer", "3").gauge("zab.test.lag", "txns", "lag", () -> 4);

    peer2.close();
    assertThat(registry.getMeters()).extracting(meter -> meter.getId().getName() + meter.getId().getTag("peer"))
        .containsExactlyInAnyOrder("zab.test.rolenull", "zab.test.lag3");
    m.close();
    assertThat(registry.getMeters()).isEmpty();
  }
}
