package io.zab.bench.cluster;

import java.util.Arrays;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * The one-in-flight floor measured in slices interleaved with zab ({@link InterleavedFloor}): per round, the p50 of
 * a 1-record group commit with fdatasync, of a loopback round trip to another process, and of zab at one in flight;
 * and the same three pooled over every round.
 *
 * @param loadAverage {@code /proc/loadavg}'s first three fields when the slices started and ended
 */
record FloorSlices(String system, int payloadBytes, long sliceMs, List<Slice> slices, Histogram fsync,
    Histogram roundTrip, Histogram zab, String loadAverage) {

  /** One round: zab's p50 against the floor measured just before it. */
  record Slice(long fsyncP50Us, long roundTripP50Us, long zabP50Us, long zabOps) {
    long floorUs() {
      return fsyncP50Us + roundTripP50Us;
    }

    /** zab's p50 over (fsync p50 + round trip p50); NaN if the floor rounds to 0. */
    double ratio() {
      return floorUs() > 0 ? (double) zabP50Us / floorUs() : Double.NaN;
    }
  }

  /** The median of the rounds' ratios (rounds with no floor left out); NaN if none. */
  double medianRatio() {
    return median(slices.stream().mapToDouble(Slice::ratio).filter(r -> !Double.isNaN(r)).toArray());
  }

  /** zab's pooled p50 over (pooled fsync p50 + pooled round trip p50). */
  double pooledRatio() {
    long floor = fsync.getValueAtPercentile(50) + roundTrip.getValueAtPercentile(50);
    return floor > 0 ? (double) zab.getValueAtPercentile(50) / floor : Double.NaN;
  }

  /** The median of {@code values} (the mean of the middle two for an even count); NaN for none. */
  static double median(double[] values) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }
}
