package io.zab.bench.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Voluntary context switches of all threads of a process so far, from {@code /proc/<pid>/task/* /status}: each is
 * a thread going to sleep to wait (and later a wake-up), the count a round trip's hand-offs cost whatever the load.
 * Linux only; -1 elsewhere. Threads that ended are not counted.
 */
final class ContextSwitches {
  private static final String FIELD = "voluntary_ctxt_switches:";

  private ContextSwitches() {}

  static long voluntary(long pid) {
    try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      return tasks.mapToLong(task -> {
        try {
          return parseStatus(Files.readString(task.resolve("status")));
        } catch (IOException ended) {
          return 0;
        }
      }).sum();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** The voluntary_ctxt_switches field of a {@code status} file (not the nonvoluntary one). */
  static long parseStatus(String status) {
    for (String line : status.split("\n")) {
      if (line.startsWith(FIELD)) {
        return Long.parseLong(line.substring(FIELD.length()).trim());
      }
    }
    throw new IllegalArgumentException("no " + FIELD + " line");
  }
}
