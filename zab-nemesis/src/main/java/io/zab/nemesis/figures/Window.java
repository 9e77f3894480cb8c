package io.zab.nemesis.figures;

import java.util.List;
import java.util.function.LongPredicate;

/** A stretch of run time, in microseconds, {@code [from, to)}: e.g. from a fault's start to its heal. */
public record Window(long from, long to) {
  public Window {
    if (to < from) {
      throw new IllegalArgumentException("window ends (" + to + ") before it starts (" + from + ")");
    }
  }

  public boolean contains(long t) {
    return t >= from && t < to;
  }

  public long length() {
    return to - from;
  }

  public static long totalLength(List<Window> windows) {
    return windows.stream().mapToLong(Window::length).sum();
  }

  /** Whether {@code t} is inside any of {@code windows}. */
  public static LongPredicate inAny(List<Window> windows) {
    return t -> windows.stream().anyMatch(w -> w.contains(t));
  }

  /** Events per second among {@code times} that fall inside {@code windows} (0 if they have no length). */
  public static double ratePerSecond(List<Long> times, List<Window> windows) {
    long length = totalLength(windows);
    if (length == 0) {
      return 0;
    }
    LongPredicate in = inAny(windows);
    long n = times.stream().filter(in::test).count();
    return n * 1_000_000.0 / length;
  }
}
