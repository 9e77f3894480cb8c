package io.zab.bench.cluster;

import io.zab.ZabStatus;
import io.zab.metrics.MetricNames;
import io.zab.metrics.NodeMetrics;
import io.zab.metrics.ZabMetrics;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What the library itself holds in memory, by part, now and at its peak: the in-memory log (txns kept for
 * followers), the apply backlog, the log writes not yet durable, and the bytes in flight to followers. Read from
 * the node's gauges (this class is the node's metrics binding and keeps only gauges) and its status, sampled every
 * 50 ms so that the peak under load is seen, not only what is left after it. Sizes in KiB.
 */
final class LibraryMemory implements ZabMetrics {
  private static final String[][] GAUGES = {
      {"logInMemoryKb", MetricNames.LOG_MEMORY_BYTES},
      {"applyBacklogKb", MetricNames.APPLY_BACKLOG_BYTES},
      {"logBacklogKb", MetricNames.LOG_BACKLOG_BYTES},
  };

  private final Map<String, DoubleSupplier> gauges = new ConcurrentHashMap<>();
  private final Map<String, Long> peaks = new ConcurrentHashMap<>();
  private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "library-memory-sampler");
    t.setDaemon(true);
    return t;
  });

  /** Starts sampling; {@code status} gives the followers' bytes in flight (on the leader). */
  void start(Supplier<ZabStatus> status) {
    sampler.scheduleAtFixedRate(() -> now(status).forEach((k, v) -> peaks.merge(k + "Peak", v, Math::max)),
        0, 50, TimeUnit.MILLISECONDS);
  }

  /** The figures now and their peaks so far. */
  Map<String, Long> report(Supplier<ZabStatus> status) {
    Map<String, Long> m = new LinkedHashMap<>(now(status));
    m.putAll(peaks);
    return m;
  }

  private Map<String, Long> now(Supplier<ZabStatus> status) {
    Map<String, Long> m = new LinkedHashMap<>();
    for (String[] g : GAUGES) {
      DoubleSupplier value = gauges.get(g[1]);
      if (value != null) {
        m.put(g[0], (long) value.getAsDouble() >> 10);
      }
    }
    DoubleSupplier txns = gauges.get(MetricNames.LOG_MEMORY_TXNS);
    if (txns != null) {
      m.put("logInMemoryTxns", (long) txns.getAsDouble());
    }
    long inFlight = 0;
    for (ZabStatus.FollowerStatus f : status.get().followers()) {
      inFlight += f.bytesInFlight();
    }
    m.put("followersInFlightKb", inFlight >> 10);
    return m;
  }

  @Override
  public NodeMetrics forServer(long serverId) {
    return new GaugesOnly("");
  }

  /** Keeps the gauges of the node (untagged ones by name), ignores every other meter. */
  private final class GaugesOnly implements NodeMetrics {
    private final String tags;

    GaugesOnly(String tags) {
      this.tags = tags;
    }

    @Override
    public Counter counter(String name, String unit, String description) {
      return amount -> {};
    }

    @Override
    public void counter(String name, String unit, String description, LongSupplier count) {}

    @Override
    public void gauge(String name, String unit, String description, DoubleSupplier value) {
      if (tags.isEmpty()) {
        gauges.put(name, value);
      }
    }

    @Override
    public Histogram histogram(String name, String unit, String description) {
      return value -> {};
    }

    @Override
    public Timer timer(String name, String description) {
      return nanos -> {};
    }

    @Override
    public NodeMetrics tagged(String key, String value) {
      return new GaugesOnly(tags + "{" + key + "=" + value + "}");
    }

    @Override
    public void close() {}
  }
}
