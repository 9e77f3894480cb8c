package io.zab.metrics;

import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * The meters of one node (see {@link ZabMetrics#forServer}). The node creates its meters once, when it starts, and
 * updates the push-style ones ({@link Counter}, {@link Histogram}, {@link Timer}) as it runs: at most a few calls
 * per batch of transactions, never per transaction, from its protocol and log threads. Pull-style meters (a
 * {@linkplain #gauge gauge}, a {@linkplain #counter(String, String, String, LongSupplier) function counter}) are
 * read by the binding whenever it collects; their suppliers are cheap and thread-safe.
 *
 * <pre>{@code
 * NodeMetrics m = metrics.forServer(1);
 * NodeMetrics.Timer fsync = m.timer(MetricNames.FSYNC_LATENCY, "one fsync of the log");
 * long t0 = System.nanoTime();
 * channel.force(false);
 * fsync.recordNanos(System.nanoTime() - t0);
 * m.gauge(MetricNames.APPLY_BACKLOG, "txns", "committed txns not yet applied", () -> backlog.get());
 * m.close();   // the node stopped: its meters go away
 * }</pre>
 *
 * <p>Names are dot-separated and lower case ({@code zab.commit.latency}); {@code unit} is a base unit such as
 * {@code "bytes"}, {@code "txns"} or {@code "seconds"} (or null), which a binding may use in the exported name.
 * Implementations must be thread-safe.
 */
public interface NodeMetrics extends AutoCloseable {

  /** Records nothing. */
  NodeMetrics NONE = NoMetrics.INSTANCE;

  /**
   * A count that only grows, incremented by the node.
   *
   * @param name the meter's name, e.g. {@link MetricNames#APPENDED_TXNS}
   * @param unit its base unit, or null
   * @param description what it counts
   * @return where the node adds to it
   */
  Counter counter(String name, String unit, String description);

  /**
   * A count that only grows, kept by the caller and read through {@code count} when collected.
   *
   * @param name the meter's name, e.g. {@link MetricNames#TRANSPORT_SENT_BYTES}
   * @param unit its base unit, or null
   * @param description what it counts
   * @param count reads the count; cheap and thread-safe
   */
  void counter(String name, String unit, String description, LongSupplier count);

  /**
   * A value that goes up and down, read through {@code value} when collected (NaN: no value now).
   *
   * @param name the meter's name, e.g. {@link MetricNames#APPLY_BACKLOG_TXNS}
   * @param unit its base unit, or null
   * @param description what it measures
   * @param value reads the value; cheap and thread-safe
   */
  void gauge(String name, String unit, String description, DoubleSupplier value);

  /**
   * A distribution of values (sizes), for percentiles and averages.
   *
   * @param name the meter's name, e.g. {@link MetricNames#BATCH_TXNS}
   * @param unit the unit of the values, or null
   * @param description what it measures
   * @return where the node records values
   */
  Histogram histogram(String name, String unit, String description);

  /**
   * A distribution of durations, for percentiles and averages.
   *
   * @param name the meter's name, e.g. {@link MetricNames#COMMIT_LATENCY}
   * @param description what it times
   * @return where the node records durations
   */
  Timer timer(String name, String description);

  /**
   * A view that adds the tag {@code key=value} to the meters created through it, e.g. {@code tagged("peer", "2")}
   * for a gauge about one follower. Closing a view removes what was created through it (and its own views), as a
   * node does with a follower's gauges when a reconfiguration removes that follower; closing the node's root
   * {@code NodeMetrics} removes everything, views included.
   *
   * @param key the tag's key, e.g. {@link MetricNames#PEER_TAG}
   * @param value the tag's value
   * @return the view
   */
  NodeMetrics tagged(String key, String value);

  /**
   * The node stopped (root), or no longer needs a view's meters: removes every meter created through this object and
   * its views. Idempotent.
   */
  @Override
  void close();

  /** See {@link NodeMetrics#counter(String, String, String)}. Thread-safe. */
  @FunctionalInterface
  interface Counter {
    /**
     * Adds {@code amount}.
     *
     * @param amount at least 0
     */
    void increment(long amount);
  }

  /** See {@link NodeMetrics#histogram}. Thread-safe. */
  @FunctionalInterface
  interface Histogram {
    /**
     * Records one value.
     *
     * @param value the value, in the histogram's unit
     */
    void record(long value);
  }

  /** See {@link NodeMetrics#timer}. Thread-safe. */
  @FunctionalInterface
  interface Timer {
    /**
     * Records one duration.
     *
     * @param nanos the duration in nanoseconds
     */
    void recordNanos(long nanos);
  }
}
