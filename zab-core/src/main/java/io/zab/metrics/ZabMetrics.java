package io.zab.metrics;

/**
 * The metrics SPI: where zab nodes report what they measure (commit and fsync latency, batch sizes, throughput,
 * backlogs, elections, snapshot and transport traffic). zab-core depends on no metrics library; a binding
 * implements this interface, such as {@code MicrometerZabMetrics} of the module {@code zab-metrics-micrometer}.
 * The default, {@link #none()}, records nothing.
 *
 * <pre>{@code
 * MeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
 * ZabNode node = ZabNode.builder().serverId(1).members(members).dataDir(dir)
 *     .transport(factory).stateMachine(sm)
 *     .metrics(MicrometerZabMetrics.of(registry))     // every meter is tagged server=1
 *     .build();
 * }</pre>
 *
 * <p>Implementing it: {@link #forServer} is called once by each node when it starts; the node registers its
 * meters on the returned {@link NodeMetrics} (names in {@link MetricNames}) and closes it when it stops, after
 * which the binding should remove that node's meters. One {@code ZabMetrics} may serve several nodes of one JVM
 * (tests, several ensembles): a binding tells their meters apart by the server id. Implementations must be
 * thread-safe.
 */
public interface ZabMetrics {

  /**
   * The meters of the node with server id {@code serverId}, for as long as it runs.
   *
   * @param serverId the node's server id; a binding typically tags every meter of the node with it
   * @return where that node registers its meters
   */
  NodeMetrics forServer(long serverId);

  /**
   * Records nothing: the default of {@code ZabNode.Builder.metrics}.
   *
   * @return the binding that records nothing
   */
  static ZabMetrics none() {
    return NoMetrics.INSTANCE;
  }
}
