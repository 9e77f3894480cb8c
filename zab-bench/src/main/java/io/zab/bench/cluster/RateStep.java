package io.zab.bench.cluster;

import java.util.List;

/**
 * One open-loop load point: {@code perSecond} writes a second of {@code payloadBytes} each, whatever the latency,
 * with at most {@code maxInFlight} outstanding (beyond that the sender waits, and the wait counts in the latency).
 * Written on the command line as {@code <perSecond>x<payloadBytes>}, e.g. {@code 5000x1024}.
 */
public record RateStep(long perSecond, int payloadBytes, int maxInFlight) {

  /** Outstanding writes an open-loop step allows: far above what 5,000/s at a few ms needs, and a bound on memory. */
  static final int DEFAULT_MAX_IN_FLIGHT = 4096;

  public RateStep {
    if (perSecond < 1) {
      throw new IllegalArgumentException("rate must be >= 1 write/s, got " + perSecond);
    }
    if (payloadBytes < 1) {
      throw new IllegalArgumentException("payload size must be >= 1 byte, got " + payloadBytes);
    }
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("writes in flight must be >= 1, got " + maxInFlight);
    }
  }

  /** Parses {@code "5000x1024,20000x1024"}; an empty string gives an empty list. */
  public static List<RateStep> parseList(String text) {
    return LoadStep.parsePairs(text, "rate step", "<writesPerSecond>x<payloadBytes>, e.g. 5000x1024").stream()
        .map(p -> new RateStep(p[0], LoadStep.intOf(p[1], "payload size"), DEFAULT_MAX_IN_FLIGHT)).toList();
  }

  /** The result mode of an open-loop in-process step, e.g. {@code open-5000/s}. */
  String mode() {
    return "open-" + perSecond + "/s";
  }

  @Override
  public String toString() {
    return perSecond + "x" + payloadBytes;
  }
}
