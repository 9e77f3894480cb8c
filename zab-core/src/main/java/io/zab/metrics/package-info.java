/**
 * The metrics SPI of zab: {@link io.zab.metrics.ZabMetrics} (what {@code ZabNode.Builder.metrics} takes),
 * {@link io.zab.metrics.NodeMetrics} (one node's meters) and the names a node reports
 * ({@link io.zab.metrics.MetricNames}). It depends on nothing; {@code zab-metrics-micrometer} binds it to
 * Micrometer.
 */
package io.zab.metrics;
