package io.zab.metrics.micrometer;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.zab.metrics.NodeMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * One node's meters in a Micrometer registry, all carrying {@code tags}; a view made by {@link #tagged} records what
 * it registers in its own list and in its parent's, so that closing a view removes its meters and closing the node's
 * root removes everything. Thread-safe.
 */
final class MicrometerNodeMetrics implements NodeMetrics {
  private final MeterRegistry registry;
  private final Tags tags;
  private final Registered registered;

  MicrometerNodeMetrics(MeterRegistry registry, Tags tags) {
    this(registry, tags, new Registered(null));
  }

  private MicrometerNodeMetrics(MeterRegistry registry, Tags tags, Registered registered) {
    this.registry = registry;
    this.tags = tags;
    this.registered = registered;
  }

  @Override
  public Counter counter(String name, String unit, String description) {
    io.micrometer.core.instrument.Counter c = registered.add(io.micrometer.core.instrument.Counter.builder(name)
        .baseUnit(unit).description(description).tags(tags).register(registry));
    return c::increment;
  }

  @Override
  public void counter(String name, String unit, String description, LongSupplier count) {
    registered.add(FunctionCounter.builder(name, count, LongSupplier::getAsLong).baseUnit(unit)
        .description(description).tags(tags).register(registry));
  }

  @Override
  public void gauge(String name, String unit, String description, DoubleSupplier value) {
    registered.add(Gauge.builder(name, value, DoubleSupplier::getAsDouble).baseUnit(unit).description(description)
        .tags(tags).strongReference(true).register(registry));
  }

  @Override
  public Histogram histogram(String name, String unit, String description) {
    DistributionSummary s = registered.add(DistributionSummary.builder(name).baseUnit(unit).description(description)
        .tags(tags).publishPercentileHistogram().register(registry));
    return s::record;
  }

  @Override
  public Timer timer(String name, String description) {
    io.micrometer.core.instrument.Timer t = registered.add(io.micrometer.core.instrument.Timer.builder(name)
        .description(description).tags(tags).publishPercentileHistogram().register(registry));
    return nanos -> t.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public NodeMetrics tagged(String key, String value) {
    return new MicrometerNodeMetrics(registry, tags.and(key, value), new Registered(registered));
  }

  @Override
  public void close() {
    for (Meter m : registered.takeAll()) {
      registry.remove(m);
    }
  }

  /** The meters registered through one object (root or view) and its views; each is also in its parent's list. */
  private static final class Registered {
    private final Registered parent;
    private final List<Meter> meters = new ArrayList<>();

    Registered(Registered parent) {
      this.parent = parent;
    }

    <M extends Meter> M add(M meter) {
      synchronized (this) {
        meters.add(meter);
      }
      if (parent != null) {
        parent.add(meter);
      }
      return meter;
    }

    /** Everything registered through this object and its views, forgotten here and by its ancestors. */
    List<Meter> takeAll() {
      List<Meter> all;
      synchronized (this) {
        all = List.copyOf(meters);
        meters.clear();
      }
      if (parent != null) {
        parent.forget(all);
      }
      return all;
    }

    private void forget(List<Meter> gone) {
      synchronized (this) {
        meters.removeAll(gone);
      }
      if (parent != null) {
        parent.forget(gone);
      }
    }
  }
}
