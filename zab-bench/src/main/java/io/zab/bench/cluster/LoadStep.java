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
    List<LoadStep> steps = new ArrayList<>();
    if (text.isBlank()) {
      return steps;
    }
    for (String part : text.split(",")) {
      String[] sides = part.trim().split("x");
      if (sides.length != 2) {
        throw new IllegalArgumentException(
            "load step '" + part + "' must look like <inFlight>x<payloadBytes>, e.g. 256x1024");
      }
      try {
        steps.add(new LoadStep(Integer.parseInt(sides[0]), Integer.parseInt(sides[1])));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("load step '" + part + "' has a non-numeric part", e);
      }
    }
    return steps;
  }

  public static String formatList(List<LoadStep> steps) {
    return String.join(",", steps.stream().map(LoadStep::toString).toList());
  }

  @Override
  public String toString() {
    return inFlight + "x" + payloadBytes;
  }
}
