package io.zab.bench.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Memory of one server process: resident set size from {@code /proc/<pid>/status} (VmRSS) and Java heap
 * used/committed from {@code jcmd <pid> GC.heap_info}. A value that cannot be read is -1.
 */
public record ProcessMemory(String system, long serverId, String role, long rssKb, long heapUsedKb,
    long heapCommittedKb) {

  private static final Pattern VM_RSS = Pattern.compile("VmRSS:\\s+(\\d+)\\s+kB");
  // e.g. " garbage-first heap   total 262144K, used 21504K [..."
  private static final Pattern HEAP = Pattern.compile("heap\\s+total\\s+(\\d+)K,\\s+used\\s+(\\d+)K");

  public static ProcessMemory of(String system, long serverId, String role, long pid) {
    long rss = rssKb(pid);
    long[] heap = heapKb(pid);
    return new ProcessMemory(system, serverId, role, rss, heap[0], heap[1]);
  }

  static long rssKb(long pid) {
    try {
      Matcher m = VM_RSS.matcher(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
      return m.find() ? Long.parseLong(m.group(1)) : -1;
    } catch (IOException e) {
      return -1;
    }
  }

  /** Returns {used, committed} in KiB, or {-1, -1}. */
  static long[] heapKb(long pid) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    try {
      Process p =
          new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.heap_info")
              .redirectErrorStream(true)
              .start();
      p.getOutputStream().close();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new long[] {-1, -1};
      }
      return parseHeapInfo(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      return new long[] {-1, -1};
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new long[] {-1, -1};
    }
  }

  static long[] parseHeapInfo(String text) {
    Matcher m = HEAP.matcher(text);
    if (!m.find()) {
      return new long[] {-1, -1};
    }
    return new long[] {Long.parseLong(m.group(2)), Long.parseLong(m.group(1))};
  }
}
