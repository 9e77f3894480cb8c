package io.zab.bench.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class FloorSlicesTest {

  @Test
  void aSliceComparesZabWithFsyncPlusRoundTrip() {
    FloorSlices.Slice slice = new FloorSlices.Slice(300, 100, 600, 500);
    assertThat(slice.floorUs()).isEqualTo(400);
    assertThat(slice.ratio()).isEqualTo(1.5);
    assertThat(new FloorSlices.Slice(0, 0, 600, 500).ratio()).isNaN();
  }

  @Test
  void medianOfOddAndEvenCounts() {
    assertThat(FloorSlices.median(new double[] {3, 1, 2})).isEqualTo(2);
    assertThat(FloorSlices.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
    assertThat(FloorSlices.median(new double[0])).isNaN();
  }

  @Test
  void medianRatioLeavesOutRoundsWithoutAFloorAndPooledRatioUsesAllLatencies() {
    Histogram fsync = histogram(100, 100, 1000); // p50 100
    Histogram rtt = histogram(50, 50, 50); // p50 50
    Histogram zab = histogram(300, 300, 300, 900); // p50 300
    FloorSlices floors = new FloorSlices("zab", 1024, 500, List.of(
        new FloorSlices.Slice(100, 100, 400, 10), // 2.0
        new FloorSlices.Slice(0, 0, 400, 10), // no floor
        new FloorSlices.Slice(300, 100, 400, 10), // 1.0
        new FloorSlices.Slice(150, 50, 240, 10)), // 1.2
        fsync, rtt, zab, "1.0 → 2.0");
    assertThat(floors.medianRatio()).isEqualTo(1.2);
    assertThat(floors.pooledRatio()).isCloseTo(2.0, within(0.01));
  }

  private static Histogram histogram(long... valuesUs) {
    Histogram h = new Histogram(3);
    for (long v : valuesUs) {
      h.recordValue(v);
    }
    return h;
  }
}
