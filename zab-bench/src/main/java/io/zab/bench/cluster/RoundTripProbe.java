package io.zab.bench.cluster;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/** One kind of round trip, timed back to back for a slice. */
interface RoundTripProbe {
  void roundTrip() throws Exception;

  /** The round trips of {@code measureMs} after {@code warmupMs} not counted (the first wake-ups), in microseconds. */
  default Histogram slice(long warmupMs, long measureMs) throws Exception {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(warmupMs);
    while (System.nanoTime() < end) {
      roundTrip();
    }
    Histogram latencies = new Histogram(3);
    long now = System.nanoTime();
    end = now + TimeUnit.MILLISECONDS.toNanos(measureMs);
    while (now < end) {
      roundTrip();
      long done = System.nanoTime();
      latencies.recordValue(Math.max(1, (done - now) / 1000));
      now = done;
    }
    return latencies;
  }
}
