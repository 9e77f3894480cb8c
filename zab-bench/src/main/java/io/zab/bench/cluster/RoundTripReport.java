package io.zab.bench.cluster;

import java.util.List;
import org.HdrHistogram.Histogram;

/** What {@link TransportRoundTrip} measured: per slice the two medians, over all slices p50/p90/p99 (microseconds). */
record RoundTripReport(RoundTripOptions options, List<long[]> sliceMedians, Histogram transport, Histogram raw,
    long[] switches, String load) {

  String text() {
    StringBuilder out = new StringBuilder();
    out.append("transport round trip, ").append(options.payload()).append(" B proposal -> ack answered from ")
        .append(options.answer().equals("loop") ? "the event loop" : "another thread").append(", ")
        .append(sliceMedians.size()).append(" alternating slices of ").append(options.sliceMs()).append(" ms (load ")
        .append(load).append(")\n");
    out.append("slice p50 us: transport / raw:");
    for (long[] slice : sliceMedians) {
      out.append(' ').append(slice[0]).append('/').append(slice[1]);
    }
    out.append('\n');
    out.append(line("netty transport", transport, switches[0])).append(line("raw blocking socket", raw, switches[1]));
    return out.toString();
  }

  /** @param switches the voluntary context switches of all three JVMs during these round trips */
  private static String line(String name, Histogram h, long switches) {
    return String.format("%-20s n=%d p50=%d p90=%d p99=%d us, %.2f voluntary context switches per round trip%n", name,
        h.getTotalCount(), h.getValueAtPercentile(50), h.getValueAtPercentile(90), h.getValueAtPercentile(99),
        (double) switches / Math.max(1, h.getTotalCount()));
  }
}
