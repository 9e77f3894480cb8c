package io.zab.bench.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Memory of one server process: resident set size from {@code /proc/<pid>/status} (VmRSS), Java heap
 * used/committed from {@code jcmd <pid> GC.heap_info}, and the heap still used after a full GC
 * ({@code jcmd <pid> GC.run}): the live data, without garbage not yet collected. A value that cannot be
 * read is -1.
 */
public record ProcessMemory(String system, long serverId, String role, long rssKb, long heapUsedKb,
    long heapCommittedKb, long heapLiveKb) {

  private static final Pattern VM_RSS = Pattern.compile("VmRSS:\\s+(\\d+)\\s+kB");
  // e.g. " garbage-first heap   total 262144K, used 21504K [..."
  private static final Pattern HEAP = Pattern.compile("heap\\s+total\\s+(\\d+)K,\\s+used\\s+(\\d+)K");

  public static ProcessMemory of(String system, long serverId, String role, long pid) {
    long rss = rssKb(pid);
    long[] heap = heapKb(pid);
    long[] afterGc = jcmd(pid, "GC.run") ? heapKb(pid) : new long[] {-1, -1};
    return new ProcessMemory(system, serverId, role, rss, heap[0], heap[1], afterGc[0]);
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
    StringBuilder out = new StringBuilder();
    return jcmd(pid, "GC.heap_info", out) ? parseHeapInfo(out.toString()) : new long[] {-1, -1};
  }

  private static boolean jcmd(long pid, String command) {
    return jcmd(pid, command, new StringBuilder());
  }

  /** Runs {@code jcmd <pid> <command>} (bounded), appends its output; false if it failed or timed out. */
  private static boolean jcmd(long pid, String command, StringBuilder output) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    try {
      Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
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
}
