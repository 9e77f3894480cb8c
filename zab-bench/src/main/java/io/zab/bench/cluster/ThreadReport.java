package io.zab.bench.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where the servers' CPU went in each in-process window, by thread kind ({@link ServerThreads}), as markdown, and
 * a warning for each window in which the JIT compilers still used more than {@value #JIT_SHARE_LIMIT_PERCENT}% of
 * the servers' CPU: such a window measures the JVM warming up, not the steady state.
 */
final class ThreadReport {

  static final double JIT_SHARE_LIMIT_PERCENT = 10;

  private ThreadReport() {}

  /** The JIT compilers' share of all servers' thread CPU in the window, in percent; -1 if not measured. */
  static double jitPercent(List<ServerThreads> servers) {
    long total = 0;
    long jit = 0;
    for (ServerThreads s : servers) {
      total += s.totalCpuNanos();
      jit += s.of(ThreadKind.JIT).cpuNanos();
    }
    return total <= 0 ? -1 : 100.0 * jit / total;
  }

  /** One warning line per window whose JIT share exceeds the limit. */
  static List<String> warnings(List<LoadResult> results) {
    List<String> lines = new ArrayList<>();
    for (LoadResult r : results) {
      double jit = jitPercent(r.cost().threads());
      if (jit > JIT_SHARE_LIMIT_PERCENT) {
        lines.add(String.format(Locale.ROOT, "%s: window not at steady state: JIT used %.1f%% of the servers' CPU",
            step(r), jit));
      }
    }
    return lines;
  }

  /** CPU ms per second of window, for {@code cpuNanos} over {@code seconds}. */
  static double msPerSecond(long cpuNanos, double seconds) {
    return seconds > 0 ? cpuNanos / 1e6 / seconds : 0;
  }

  /** µs of CPU per write. */
  static double usPerWrite(long cpuNanos, long writes) {
    return writes > 0 ? cpuNanos / 1e3 / writes : 0;
  }

  /** Voluntary context switches per 1,000 writes. */
  static double perThousandWrites(long switches, long writes) {
    return writes > 0 ? 1000.0 * switches / writes : 0;
  }

  /** The tables of every window that has thread use, the leader and the first follower each; "" if none has. */
  static String render(List<LoadResult> results) {
    StringBuilder md = new StringBuilder();
    for (LoadResult r : results) {
      List<ServerThreads> servers = r.cost().threads();
      if (servers.isEmpty()) {
        continue;
      }
      if (md.isEmpty()) {
        md.append("\n### Server CPU by thread kind\n\n");
        md.append("Per in-process window and server, the CPU (user + system) of its threads by kind, from"
            + " `/proc/<pid>/task/<tid>/stat` sampled at the window's opening and closing (a thread that ended"
            + " inside the window is not counted): ms of CPU per second of window, µs per acknowledged write, and"
            + " voluntary context switches (`/proc/<pid>/task/<tid>/status`) per 1,000 writes. Kinds by thread name:"
            + " protocol, netty, log-writer (the writer and the segment preallocator), apply, callback, snapshot,"
            + " load generator (`in-process-load`, leader only), JIT compiler (C1/C2 compiler threads),"
            + " GC (`GC Thread*`, `G1 *`), other. A window in which the JIT compilers used more than "
            + String.format(Locale.ROOT, "%.0f", JIT_SHARE_LIMIT_PERCENT)
            + "% of all servers' CPU is flagged: it measured the JVMs warming up, not their steady state.\n");
      }
      List<ServerThreads> shown = servers.subList(0, Math.min(2, servers.size()));
      double jit = jitPercent(servers);
      md.append(String.format(Locale.ROOT, "%n#### %s: %,.0f writes/s; JIT %.1f%% of the servers' CPU%n%n", step(r),
          r.opsPerSec(), jit));
      StringBuilder head = new StringBuilder("| thread kind |");
      StringBuilder rule = new StringBuilder("|---|");
      for (ServerThreads s : shown) {
        head.append(String.format(" %s ms/s | %s µs/write | %s vol. switches / 1k writes |", s.role(), s.role(),
            s.role()));
        rule.append("---:|---:|---:|");
      }
      md.append(head).append('\n').append(rule).append('\n');
      for (ThreadKind kind : ThreadKind.values()) {
        md.append("| ").append(kind.label()).append(" |");
        for (ServerThreads s : shown) {
          cells(md, s.of(kind), r);
        }
        md.append('\n');
      }
      md.append("| **all threads** |");
      for (ServerThreads s : shown) {
        cells(md, s.byKind().values().stream().reduce(new ThreadCpu.Use(0, 0), ThreadCpu.Use::plus), r);
      }
      md.append('\n');
    }
    return md.toString();
  }

  private static void cells(StringBuilder md, ThreadCpu.Use use, LoadResult r) {
    md.append(String.format(Locale.ROOT, " %.0f | %.2f | %.1f |", msPerSecond(use.cpuNanos(), r.seconds()),
        usPerWrite(use.cpuNanos(), r.ops()), perThousandWrites(use.voluntarySwitches(), r.ops())));
  }

  private static String step(LoadResult r) {
    return String.format(Locale.ROOT, "%s, %d servers, %s, %d in flight, %d B", r.system(), r.cost().servers(),
        r.mode(), r.inFlight(), r.payloadBytes());
  }
}
