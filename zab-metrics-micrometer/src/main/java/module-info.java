/**
 * Binds zab's metrics SPI ({@code io.zab.metrics}) to a Micrometer registry:
 * {@code ZabNode.builder().metrics(MicrometerZabMetrics.of(registry))}.
 */
// micrometer-core is an automatic module whose name its jar's manifest fixes (Automatic-Module-Name micrometer.core).
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.zab.metrics.micrometer {
  requires transitive io.zab.core;
  requires transitive micrometer.core;

  exports io.zab.metrics.micrometer;
}
