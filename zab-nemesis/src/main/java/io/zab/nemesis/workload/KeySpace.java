package io.zab.nemesis.workload;

/**
 * The keys the workload uses. Register keys ({@code r<generation>-<i>}) are few, so clients contend on them;
 * a new generation of them starts every {@code generationMicros}, which keeps each key's history short for
 * the linearizability search (an unanswered write stays open to the end of its key's history, so long
 * histories grow the search). Set keys ({@code a-<client>-<n>}) are written once each.
 */
public record KeySpace(int registersPerGeneration, long generationMicros) {
  public static final String REGISTER_PREFIX = "r";
  public static final String SET_PREFIX = "a-";

  public KeySpace {
    if (registersPerGeneration < 1 || generationMicros < 1) {
      throw new IllegalArgumentException("need at least one register key and a positive generation length");
    }
  }

  public String register(long nowMicros, int index) {
    return REGISTER_PREFIX + (nowMicros / generationMicros) + "-" + Math.floorMod(index, registersPerGeneration);
  }

  public static String setKey(String client, long n) {
    return SET_PREFIX + client + "-" + n;
  }
}
