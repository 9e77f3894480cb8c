package io.zab.runtime;

import io.zab.metrics.NodeMetrics;
import io.zab.metrics.ZabMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/** A metrics binding for tests: remembers every meter of every node and what was recorded into it. */
public final class RecordingMetrics implements ZabMetrics {
  private final Map<Long, Node> nodes = new ConcurrentHashMap<>();

  @Override
  public NodeMetrics forServer(long serverId) {
    Node n = new Node(new Meters(), Map.of());
    nodes.put(serverId, n);
    return n;
  }

  /** The meters of server {@code id} (the last node started with that id). */
  public Meters of(long id) {
    Node n = nodes.get(id);
    if (n == null) {
      throw new AssertionError("server " + id + " registered no meters");
    }
    return n.meters;
  }

  /** Everything one node registered; keys are {@code name} or {@code name{tag=value}}. */
  public static final class Meters {
    final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
    final Map<String, LongSupplier> functionCounters = new ConcurrentHashMap<>();
    final Map<String, DoubleSupplier> gauges = new ConcurrentHashMap<>();
    final Map<String, List<Long>> histograms = new ConcurrentHashMap<>();
    final AtomicBoolean closed = new AtomicBoolean();

    public long counter(String key) {
      AtomicLong c = counters.get(key);
      if (c != null) {
        return c.get();
      }
      LongSupplier f = functionCounters.get(key);
      if (f == null) {
        throw new AssertionError("no counter " + key + " among " + new TreeMap<>(counters).keySet()
            + new TreeMap<>(functionCounters).keySet());
      }
      return f.getAsLong();
    }

    public double gauge(String key) {
      DoubleSupplier g = gauges.get(key);
      if (g == null) {
        throw new AssertionError("no gauge " + key + " among " + new TreeMap<>(gauges).keySet());
      }
      return g.getAsDouble();
    }

    /** The values recorded into a histogram or timer (nanoseconds). */
    public List<Long> recorded(String key) {
      List<Long> h = histograms.get(key);
      if (h == null) {
        throw new AssertionError("no histogram or timer " + key + " among " + new TreeMap<>(histograms).keySet());
      }
      synchronized (h) {
        return List.copyOf(h);
      }
    }

    public boolean closed() {
      return closed.get();
    }

    /** The keys of the gauges registered now. */
    public java.util.Set<String> gaugeKeys() {
      return new TreeMap<>(gauges).keySet();
    }
  }

  private static final class Node implements NodeMetrics {
    private final Meters meters;
    private final Map<String, String> tags;

    Node(Meters meters, Map<String, String> tags) {
      this.meters = meters;
      this.tags = tags;
    }

    private String key(String name) {
      return tags.isEmpty() ? name : name + new TreeMap<>(tags);
    }

    private static <T> void putNew(Map<String, T> map, String key, T value) {
      if (map.putIfAbsent(key, value) != null) {
        throw new AssertionError("meter " + key + " registered twice");
      }
    }

    @Override
    public Counter counter(String name, String unit, String description) {
      AtomicLong c = new AtomicLong();
      putNew(meters.counters, key(name), c);
      return c::addAndGet;
    }

    @Override
    public void counter(String name, String unit, String description, LongSupplier count) {
      putNew(meters.functionCounters, key(name), count);
    }

    @Override
    public void gauge(String name, String unit, String description, DoubleSupplier value) {
      putNew(meters.gauges, key(name), value);
    }

    @Override
    public Histogram histogram(String name, String unit, String description) {
      List<Long> values = new ArrayList<>();
      putNew(meters.histograms, key(name), values);
      return v -> {
        synchronized (values) {
          values.add(v);
        }
      };
    }

    @Override
    public Timer timer(String name, String description) {
      Histogram h = histogram(name, "nanoseconds", description);
      return h::record;
    }

    @Override
    public NodeMetrics tagged(String key, String value) {
      Map<String, String> t = new TreeMap<>(tags);
      t.put(key, value);
      return new Node(meters, t);
    }

    /** The root marks the node closed; a view removes the meters carrying its tags (its own and its views'). */
    @Override
    public void close() {
      if (tags.isEmpty()) {
        meters.closed.set(true);
        return;
      }
      String mine = new TreeMap<>(tags).toString();
      for (Map<String, ?> m : List.of(meters.counters, meters.functionCounters, meters.gauges, meters.histograms)) {
        m.keySet().removeIf(k -> k.endsWith(mine)); // this view's (tests make views of the root only)
      }
    }
  }
}
