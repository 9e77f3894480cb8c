package io.zab.bench.cluster;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The CPU time and voluntary context switches of each thread of a process, from
 * {@code /proc/<pid>/task/<tid>/stat} and {@code .../status}. Linux only; an empty sample where it cannot be read.
 * Two samples (a window's opening and closing) give the window's use by {@link ThreadKind}.
 */
final class ThreadCpu {

  /** One thread at one instant: its name, CPU nanoseconds (user + system) and voluntary context switches so far. */
  record Sample(long tid, String comm, long cpuNanos, long voluntarySwitches) {}

  /** What threads of one kind used in a window. */
  record Use(long cpuNanos, long voluntarySwitches) {
    Use plus(Use other) {
      return new Use(cpuNanos + other.cpuNanos, voluntarySwitches + other.voluntarySwitches);
    }
  }

  private ThreadCpu() {}

  /** Every thread of process {@code pid} now; empty if /proc cannot be read (threads that end meanwhile are left out). */
  static List<Sample> sample(long pid) {
    List<Sample> samples = new ArrayList<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : tasks) {
        try {
          samples.add(parse(Long.parseLong(task.getFileName().toString()), Files.readString(task.resolve("stat")),
              Files.readString(task.resolve("status"))));
        } catch (IOException | RuntimeException threadEnded) {
          // the thread exited between the listing and the read: nothing to count
        }
      }
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
    return samples;
  }

  /** A thread's sample from its stat line and status text. */
  static Sample parse(long tid, String stat, String status) {
    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    return new Sample(tid, comm, ProcessCpu.parseStat(stat), voluntarySwitches(status));
  }

  /** The {@code voluntary_ctxt_switches} of a status text, or 0 if absent. */
  static long voluntarySwitches(String status) {
    for (String line : status.split("\n")) {
      if (line.startsWith("voluntary_ctxt_switches:")) {
        return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
      }
    }
    return 0;
  }

  /**
   * What each kind of thread used between {@code open} and {@code close}: a thread sampled only at the closing
   * started in the window and counts whole; one that ended in the window is not counted (it cannot be read).
   */
  static Map<ThreadKind, Use> byKind(List<Sample> open, List<Sample> close) {
    Map<Long, Sample> before = new HashMap<>();
    for (Sample s : open) {
      before.put(s.tid(), s);
    }
    Map<ThreadKind, Use> use = new EnumMap<>(ThreadKind.class);
    for (Sample s : close) {
      Sample b = before.get(s.tid());
      // a tid the kernel reused for a new thread is a new thread
      Use delta = b == null || !b.comm().equals(s.comm()) ? new Use(s.cpuNanos(), s.voluntarySwitches())
          : new Use(s.cpuNanos() - b.cpuNanos(), s.voluntarySwitches() - b.voluntarySwitches());
      use.merge(ThreadKind.of(s.comm()), delta, Use::plus);
    }
    return use;
  }
}
