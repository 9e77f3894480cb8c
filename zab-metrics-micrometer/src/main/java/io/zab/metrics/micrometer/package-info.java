/**
 * Binds zab's metrics SPI ({@link io.zab.metrics.ZabMetrics}) to Micrometer: {@link
 * io.zab.metrics.micrometer.MicrometerZabMetrics}.
 */
package io.zab.metrics.micrometer;
