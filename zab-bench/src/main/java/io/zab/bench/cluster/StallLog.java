package io.zab.bench.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A diagnostic for the tail: every event slower than a threshold (a write from submit to ack, an fsync of the
 * log), as the wall-clock time it ended and how long it took, appended to a file about once a second, so that the
 * slow writes of a step can be laid beside the slow fsyncs of every server and the GC pauses in their logs (whose
 * {@code time} decorator is the same clock): {@code zab-bench/tail-causes.py} does that.
 *
 * <p>On with {@code ZAB_BENCH_SLOW_WRITES=<directory>} in the environment of {@code run-cluster-bench.sh} (it
 * reaches every server); threshold {@code ZAB_BENCH_SLOW_MS}, default 4 ms. Files are {@code <kind>-<pid>.txt};
 * lines are {@code <epoch ms> <µs>}, or {@code # <mark> <epoch ms>} for marks such as a window's opening.
 */
final class StallLog {
  private final Path file;
  private final long thresholdNanos;
  private final List<String> pending = new ArrayList<>(); // guarded by this
  private final Object fileLock = new Object();

  /** A log into {@code file} of events of at least {@code thresholdNanos}, flushed about once a second. */
  StallLog(Path file, long thresholdNanos) {
    this.file = file;
    this.thresholdNanos = thresholdNanos;
    Thread flusher = new Thread(this::flushEverySecond, "stall-log-" + file.getFileName());
    flusher.setDaemon(true);
    flusher.start();
  }

  /** The log of events of {@code kind} that the environment asks for, or null when it asks for none. */
  static StallLog fromEnvironment(String kind) {
    String dir = System.getenv("ZAB_BENCH_SLOW_WRITES");
    if (dir == null || dir.isEmpty()) {
      return null;
    }
    String ms = System.getenv("ZAB_BENCH_SLOW_MS");
    double thresholdMs = ms == null || ms.isEmpty() ? 4 : Double.parseDouble(ms);
    try {
      Files.createDirectories(Path.of(dir));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir + " for ZAB_BENCH_SLOW_WRITES", e);
    }
    return new StallLog(Path.of(dir, kind + "-" + ProcessHandle.current().pid() + ".txt"),
        (long) (thresholdMs * 1e6));
  }

  /** An event that started at {@code startNanos} ({@code System.nanoTime()}) ended now. */
  void ended(long startNanos) {
    long took = System.nanoTime() - startNanos;
    if (took >= thresholdNanos) {
      String line = System.currentTimeMillis() + " " + took / 1000;
      synchronized (this) {
        pending.add(line);
      }
    }
  }

  /** A named moment, e.g. {@code opened} / {@code closed} for a measurement window. */
  void mark(String what) {
    String line = "# " + what + " " + System.currentTimeMillis();
    synchronized (this) {
      pending.add(line);
    }
  }

  private void flushEverySecond() {
    while (true) {
      try {
        Thread.sleep(1000); // a diagnostic's periodic write, not a wait for a condition
      } catch (InterruptedException e) {
        return;
      }
      try {
        flush();
      } catch (IOException e) {
        System.err.println("stall log: cannot write " + file + ": " + e);
      }
    }
  }

  /** Appends what was recorded since the last flush to the file, in the order it was recorded. */
  void flush() throws IOException {
    synchronized (fileLock) { // taken before the lines, so two flushes cannot write them out of order
      List<String> lines;
      synchronized (this) {
        lines = new ArrayList<>(pending);
        pending.clear();
      }
      if (lines.isEmpty()) {
        return;
      }
      try (Writer out = Files.newBufferedWriter(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
        for (String line : lines) {
          out.write(line);
          out.write('\n');
        }
      }
    }
  }
}
