package io.zab.bench.cluster;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * A latency histogram as one space-free word ({@code hist=<base64 of HdrHistogram's compressed form>}), so a load
 * run in another JVM can hand back all its latencies, not only percentiles, and slices can be pooled.
 */
final class HistogramText {
  static final String FIELD = "hist=";

  private HistogramText() {}

  static String encode(Histogram histogram) {
    ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
    int length = histogram.encodeIntoCompressedByteBuffer(buffer);
    return FIELD + Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), length));
  }

  /** The histogram in {@code line}'s {@code hist=} field; fails naming the line if there is none or it is corrupt. */
  static Histogram decodeFrom(String line) {
    for (String word : line.trim().split(" ")) {
      if (word.startsWith(FIELD)) {
        try {
          byte[] bytes = Base64.getDecoder().decode(word.substring(FIELD.length()));
          return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(bytes), 0);
        } catch (RuntimeException | DataFormatException e) { // HdrHistogram reads a short buffer past its end
          throw new IllegalArgumentException("corrupt " + FIELD + " field in: " + abbreviate(line), e);
        }
      }
    }
    throw new IllegalArgumentException("no " + FIELD + " field in: " + abbreviate(line));
  }

  private static String abbreviate(String line) {
    return line.length() <= 200 ? line : line.substring(0, 200) + "...";
  }
}
