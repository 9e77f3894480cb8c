package io.zab.bench.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time a process has used so far (user + system, all its threads), from {@code /proc/<pid>/stat}. Linux only;
 * -1 where it cannot be read. The kernel counts in clock ticks of 10 ms (USER_HZ = 100 on Linux), so compare it
 * over windows of seconds.
 */
final class ProcessCpu {
  private static final long NANOS_PER_TICK = 10_000_000L;

  private ProcessCpu() {}

  /** CPU nanoseconds used by process {@code pid}, or -1. */
  static long nanos(long pid) {
    try {
      return parseStat(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** utime + stime (fields 14 and 15) of a {@code /proc/<pid>/stat} line, in nanoseconds. */
  static long parseStat(String stat) {
    // the command name (field 2) is in parentheses and may hold spaces: count fields after its closing one
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
    // fields[0] is field 3 (state), so field n is fields[n - 3]
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * NANOS_PER_TICK;
  }
}
