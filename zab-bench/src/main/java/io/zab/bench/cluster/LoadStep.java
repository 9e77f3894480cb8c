package io.zab.bench.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * One measured load point: {@code inFlight} requests kept outstanding (closed loop) with payloads of
 * {@code payloadBytes}. Written on the command line as {@code <inFlight>x<payloadBytes>}, e.g. {@code 256x1024}.
 */
public record LoadStep(int inFlight, int payloadBytes) {

  public LoadStep {
    if (inFlight < 1) {
      throw new IllegalArgumentException("requests in flight must be >= 1, got " + inFlight);
    }
    if (payloadBytes < 1) {
      throw new IllegalArgumentException("payload size must be >= 1 byte, got " + payloadBytes);
    }
  }

  /** Parses {@code "1x1024,32x1024"}; an empty string gives an empty list. */
  public static List<LoadStep> parseList(String text) {
    return parsePairs(text, "load step", "<inFlight>x<payloadBytes>, e.g. 256x1024").stream()
        .map(p -> new LoadStep(intOf(p[0], "requests in flight"), intOf(p[1], "payload size"))).toList();
  }

  /** {@code value} as an int; a clear error naming {@code what} if it does not fit. */
  static int intOf(long value, String what) {
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(what + " " + value + " is too large");
    }
    return (int) value;
  }

  /**
   * The number pairs of {@code "AxB,CxD"} ({@code kind} and {@code shape} name them in errors); an empty string
   * gives an empty list.
   */
  static List<long[]> parsePairs(String text, String kind, String shape) {
    List<long[]> pairs = new ArrayList<>();
    if (text.isBlank()) {
      return pairs;
    }
    for (String part : text.split(",")) {
      String[] sides = part.trim().split("x");
      if (sides.length != 2) {
        throw new IllegalArgumentException(kind + " '" + part + "' must look like " + shape);
      }
      try {
        pairs.add(new long[] {Long.parseLong(sides[0]), Long.parseLong(sides[1])});
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(kind + " '" + part + "' has a non-numeric part", e);
      }
    }
    return pairs;
  }

  public static String formatList(List<LoadStep> steps) {
    return String.join(",", steps.stream().map(LoadStep::toString).toList());
  }

  @Override
  public String toString() {
    return inFlight + "x" + payloadBytes;
  }
}
