package io.zab.nemesis;

import io.zab.nemesis.workload.RunClock;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Progress lines, prefixed with the run time, to the console and to the run's log file. */
final class Progress implements AutoCloseable {
  private final RunClock clock;
  private final PrintStream out;
  private final Writer file;

  Progress(RunClock clock, PrintStream out, Path file) {
    this.clock = clock;
    this.out = out;
    try {
      this.file = Files.newBufferedWriter(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** A timestamped progress line. */
  synchronized void log(String format, Object... args) {
    line(String.format(Locale.ROOT, "[%7.1fs] ", clock.micros() / 1e6) + String.format(Locale.ROOT, format, args));
  }

  /** A line as is (figures, the summary). */
  synchronized void line(String text) {
    out.println(text);
    out.flush();
    try {
      file.write(text);
      file.write('\n');
      file.flush();
    } catch (IOException e) {
      // the console still has it
    }
  }

  @Override
  public synchronized void close() {
    try {
      file.close();
    } catch (IOException e) {
      // nothing left to do
    }
  }
}
