package io.zab.bench.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Memory of one server process, seen from outside: resident set size now and at its peak (VmRSS, VmHWM of
 * {@code /proc/<pid>/status}), Java heap used/committed from {@code jcmd <pid> GC.heap_info}, the heap still used
 * after a full GC ({@code jcmd <pid> GC.run}: the live data), and the JVM's own account of its committed memory by
 * category ({@code jcmd <pid> VM.native_memory summary}, if the JVM runs with native memory tracking). Plus what
 * the server reports itself ({@code inside}, see {@link MemoryReport}; zab only). A value that cannot be read is
 * -1.
 *
 * @param servers servers in the cluster the process belongs to
 * @param nmtKb   committed KiB by native-memory-tracking category ("Java Heap", "Thread", "Other", ...) and
 *                "Total"; after the full GC also the live {@code Txn} instances and the KiB of live byte arrays
 *                (class histogram)
 */
public record ProcessMemory(String system, int servers, long serverId, String role, long rssKb, long peakRssKb,
    long heapUsedKb, long heapCommittedKb, long heapLiveKb, Map<String, Long> nmtKb, Map<String, Long> inside) {

  private static final Pattern STATUS_KB = Pattern.compile("(VmRSS|VmHWM):\\s+(\\d+)\\s+kB");
  // e.g. " garbage-first heap   total 262144K, used 21504K [..."
  private static final Pattern HEAP = Pattern.compile("heap\\s+total\\s+(\\d+)K,\\s+used\\s+(\\d+)K");
  // e.g. "-                 Java Heap (reserved=1048576KB, committed=262144KB)"
  private static final Pattern NMT = Pattern.compile("(?m)^-\\s+(.+?) \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)");
  private static final Pattern NMT_TOTAL = Pattern.compile("Total: reserved=(\\d+)KB, committed=(\\d+)KB");
  // e.g. "  12:         10240        1392640  io.zab.wire.Txn (java.base@17)" -> instances, bytes, class
  private static final Pattern HISTOGRAM = Pattern.compile("(?m)^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
  /** Classes whose live instances the memory table counts (the in-memory log holds one Txn per txn). */
  static final String TXN_CLASS = "io.zab.wire.Txn";

  public ProcessMemory(String system, long serverId, String role, long rssKb, long heapUsedKb, long heapCommittedKb,
      long heapLiveKb) {
    this(system, 3, serverId, role, rssKb, -1, heapUsedKb, heapCommittedKb, heapLiveKb, Map.of(), Map.of());
  }

  /** Measures process {@code pid}; {@code inside} asks it for its own report (after the full GC). */
  public static ProcessMemory of(String system, int servers, long serverId, String role, long pid,
      java.util.function.Supplier<Map<String, Long>> inside) {
    Map<String, Long> status = statusKb(pid);
    long[] heap = heapKb(pid);
    StringBuilder nmt = new StringBuilder();
    Map<String, Long> nmtKb = jcmd(pid, "VM.native_memory summary scale=KB", nmt) ? parseNmt(nmt.toString()) : Map.of();
    long[] afterGc = jcmd(pid, "GC.run", new StringBuilder()) ? heapKb(pid) : new long[] {-1, -1};
    StringBuilder histogram = new StringBuilder();
    if (jcmd(pid, "GC.class_histogram", histogram)) {
      nmtKb = new LinkedHashMap<>(nmtKb);
      nmtKb.put("live " + TXN_CLASS + " instances", parseHistogram(histogram.toString(), TXN_CLASS)[0]);
      nmtKb.put("live byte[] KiB", parseHistogram(histogram.toString(), "[B")[1] >> 10);
    }
    return new ProcessMemory(system, servers, serverId, role, status.getOrDefault("VmRSS", -1L),
        status.getOrDefault("VmHWM", -1L), heap[0], heap[1], afterGc[0], nmtKb, Map.copyOf(inside.get()));
  }

  static long rssKb(long pid) {
    return statusKb(pid).getOrDefault("VmRSS", -1L);
  }

  private static Map<String, Long> statusKb(long pid) {
    Map<String, Long> m = new LinkedHashMap<>();
    try {
      Matcher matcher = STATUS_KB.matcher(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
      while (matcher.find()) {
        m.put(matcher.group(1), Long.parseLong(matcher.group(2)));
      }
    } catch (IOException e) {
      // gone or not Linux: left out
    }
    return m;
  }

  /** Returns {used, committed} in KiB, or {-1, -1}. */
  static long[] heapKb(long pid) {
    StringBuilder out = new StringBuilder();
    return jcmd(pid, "GC.heap_info", out) ? parseHeapInfo(out.toString()) : new long[] {-1, -1};
  }

  /** Runs {@code jcmd <pid> <command>} (bounded), appends its output; false if it failed or timed out. */
  private static boolean jcmd(long pid, String command, StringBuilder output) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    try {
      java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(jcmd.toString(), Long.toString(pid)));
      cmd.addAll(java.util.List.of(command.split(" ")));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getOutputStream().close();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return false;
      }
      output.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      return p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  static long[] parseHeapInfo(String text) {
    Matcher m = HEAP.matcher(text);
    if (!m.find()) {
      return new long[] {-1, -1};
    }
    return new long[] {Long.parseLong(m.group(2)), Long.parseLong(m.group(1))};
  }

  /** {instances, bytes} of {@code className} in a {@code GC.class_histogram}, or {0, 0}. */
  static long[] parseHistogram(String text, String className) {
    Matcher m = HISTOGRAM.matcher(text);
    while (m.find()) {
      if (m.group(3).equals(className)) {
        return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
      }
    }
    return new long[] {0, 0};
  }

  /** Committed KiB per category of a {@code VM.native_memory summary scale=KB} report, plus "Total". */
  static Map<String, Long> parseNmt(String text) {
    Map<String, Long> m = new LinkedHashMap<>();
    Matcher total = NMT_TOTAL.matcher(text);
    if (total.find()) {
      m.put("Total", Long.parseLong(total.group(2)));
    }
    Matcher category = NMT.matcher(text);
    while (category.find()) {
      m.put(category.group(1).trim(), Long.parseLong(category.group(3)));
    }
    return m;
  }
}
