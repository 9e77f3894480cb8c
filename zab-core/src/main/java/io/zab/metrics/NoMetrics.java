package io.zab.metrics;

import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/** Records nothing: {@link ZabMetrics#none()} and {@link NodeMetrics#NONE}. */
final class NoMetrics implements ZabMetrics, NodeMetrics {
  static final NoMetrics INSTANCE = new NoMetrics();
  private static final Counter COUNTER = amount -> {};
  private static final Histogram HISTOGRAM = value -> {};
  private static final Timer TIMER = nanos -> {};

  private NoMetrics() {}

  @Override
  public NodeMetrics forServer(long serverId) {
    return this;
  }

  @Override
  public Counter counter(String name, String unit, String description) {
    return COUNTER;
  }

  @Override
  public void counter(String name, String unit, String description, LongSupplier count) {}

  @Override
  public void gauge(String name, String unit, String description, DoubleSupplier value) {}

  @Override
  public Histogram histogram(String name, String unit, String description) {
    return HISTOGRAM;
  }

  @Override
  public Timer timer(String name, String description) {
    return TIMER;
  }

  @Override
  public NodeMetrics tagged(String key, String value) {
    return this;
  }

  @Override
  public void close() {}
}
