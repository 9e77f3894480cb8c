package io.zab.nemesis.figures;

import java.util.List;

/** Median and maximum of a list of durations. */
public record Stats(int count, long median, long max) {
  public static Stats of(List<Long> values) {
    if (values.isEmpty()) {
      return new Stats(0, 0, 0);
    }
    long[] v = values.stream().mapToLong(Long::longValue).sorted().toArray();
    long median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    return new Stats(v.length, median, v[v.length - 1]);
  }
}
