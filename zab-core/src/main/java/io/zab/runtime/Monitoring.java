package io.zab.runtime;

import io.zab.metrics.ZabMetrics;
import java.time.Duration;
import java.util.Objects;

/**
 * A node's monitoring settings (built by {@code ZabNode.Builder}). Internal: not part of the embedding API.
 *
 * @param statusPeriod how often {@code StatusListener}s get the node's status
 * @param metrics where the node reports its meters
 */
public record Monitoring(Duration statusPeriod, ZabMetrics metrics) {
  /** The defaults: a status report every second, no metrics. */
  public static final Monitoring DEFAULTS = new Monitoring(Duration.ofSeconds(1), ZabMetrics.none());

  /**
   * Checks the references.
   *
   * @param statusPeriod how often status listeners get the node's status
   * @param metrics where the node reports its meters
   */
  public Monitoring {
    Objects.requireNonNull(statusPeriod, "statusPeriod");
    Objects.requireNonNull(metrics, "metrics");
  }
}
