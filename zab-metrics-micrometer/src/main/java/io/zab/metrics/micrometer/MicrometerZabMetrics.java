package io.zab.metrics.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.zab.metrics.NodeMetrics;
import io.zab.metrics.ZabMetrics;
import java.util.Objects;

/**
 * zab's metrics SPI bound to a Micrometer {@link MeterRegistry}: every meter of a node is registered in the registry
 * with the tag {@code server=<id>} (plus the common tags given here), and removed when the node closes. Timers and
 * histograms publish percentile histograms, so a Prometheus registry exports buckets to compute quantiles from.
 *
 * <pre>{@code
 * PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
 * ZabNode node = ZabNode.builder().serverId(1).members(members).dataDir(dir)
 *     .transport(NettyTransport.factory(config)).stateMachine(sm)
 *     .metrics(MicrometerZabMetrics.of(registry))
 *     .build();
 * // GET /metrics: registry.scrape(), e.g. zab_commit_latency_seconds_bucket{server="1",le="0.005"} 1234
 * }</pre>
 *
 * <p>Two nodes with the same server id in one registry at the same time (two ensembles in one JVM) must be told
 * apart by a common tag: {@code MicrometerZabMetrics.of(registry, Tags.of("ensemble", "orders"))}. Thread-safe.
 */
public final class MicrometerZabMetrics implements ZabMetrics {
  /** The tag naming the server id of every meter: {@value}. */
  public static final String SERVER_TAG = "server";

  private final MeterRegistry registry;
  private final Tags common;

  private MicrometerZabMetrics(MeterRegistry registry, Tags common) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.common = Objects.requireNonNull(common, "common tags");
  }

  /**
   * Meters in {@code registry}, tagged with the server id.
   *
   * @param registry where every node's meters go
   * @return the binding, for {@code ZabNode.Builder.metrics}
   */
  public static MicrometerZabMetrics of(MeterRegistry registry) {
    return new MicrometerZabMetrics(registry, Tags.empty());
  }

  /**
   * Meters in {@code registry}, tagged with the server id and {@code commonTags}.
   *
   * @param registry where every node's meters go
   * @param commonTags added to every meter, e.g. the ensemble's name
   * @return the binding, for {@code ZabNode.Builder.metrics}
   */
  public static MicrometerZabMetrics of(MeterRegistry registry, Tags commonTags) {
    return new MicrometerZabMetrics(registry, commonTags);
  }

  @Override
  public NodeMetrics forServer(long serverId) {
    return new MicrometerNodeMetrics(registry, common.and(SERVER_TAG, Long.toString(serverId)));
  }
}
