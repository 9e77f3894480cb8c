package io.zab.bench.cluster;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Where the memory of this server's JVM goes, seen from inside: resident set now and at its peak, the Java heap,
 * direct and mapped NIO buffers, what Netty's default allocator holds, and threads.
 * Sizes in KiB. Rendered as {@code key=value} pairs separated by spaces.
 */
final class MemoryReport {
  private static final Pattern STATUS_KB = Pattern.compile("(VmRSS|VmHWM):\\s+(\\d+)\\s+kB");

  private MemoryReport() {}

  /** Takes the report (no GC of its own); {@code extra} adds the library's own figures. */
  static Map<String, Long> take(Map<String, Long> extra) {
    Map<String, Long> m = new LinkedHashMap<>();
    Map<String, Long> status = procStatusKb();
    m.put("rssKb", status.getOrDefault("VmRSS", -1L));
    m.put("peakRssKb", status.getOrDefault("VmHWM", -1L));
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    m.put("heapUsedKb", heap.getUsed() >> 10);
    m.put("heapCommittedKb", heap.getCommitted() >> 10);
    m.put("heapMaxKb", heap.getMax() >> 10);
    m.put("nonHeapCommittedKb", ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage().getCommitted() >> 10);
    for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
      String name = pool.getName().replaceAll("[^A-Za-z]", "");
      if (name.equals("direct") || name.equals("mapped")) {
        m.put(name + "BuffersKb", pool.getMemoryUsed() >> 10);
        m.put(name + "Buffers", pool.getCount());
      }
    }
    if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider) {
      ByteBufAllocatorMetric metric = provider.metric();
      m.put("nettyDirectKb", metric.usedDirectMemory() >> 10);
      m.put("nettyHeapKb", metric.usedHeapMemory() >> 10);
    }
    m.put("threads", (long) ManagementFactory.getThreadMXBean().getThreadCount());
    m.putAll(extra);
    return m;
  }

  static String render(Map<String, Long> report) {
    return report.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
  }

  static Map<String, Long> parse(String text) {
    Map<String, Long> m = new LinkedHashMap<>();
    for (String pair : text.trim().split("\\s+")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        try {
          m.put(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1)));
        } catch (NumberFormatException notANumber) {
          // not a figure: skip it
        }
      }
    }
    return m;
  }

  private static Map<String, Long> procStatusKb() {
    Map<String, Long> m = new LinkedHashMap<>();
    try {
      Matcher matcher = STATUS_KB.matcher(Files.readString(Path.of("/proc/self/status")));
      while (matcher.find()) {
        m.put(matcher.group(1), Long.parseLong(matcher.group(2)));
      }
    } catch (IOException e) {
      // not Linux: left out
    }
    return m;
  }
}
