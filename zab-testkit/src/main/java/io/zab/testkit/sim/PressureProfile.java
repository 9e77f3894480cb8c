package io.zab.testkit.sim;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * What loads a randomized run besides its faults (issue 10): small size limits (64 KiB frames, a window of a few
 * frames or less, 16 KiB writes, a few KiB of log kept after a snapshot) so that flow control pauses, resumes and
 * catches followers up by snapshot; slow disks (fsync 20-150 ms) and slow state machines (0.2-2 ms per txn) on some
 * servers; and bursts of large writes. Drawn from the seed: half of the seeds run under pressure, the others with
 * the production limits and equal servers.
 *
 * @param pressure whether this run is under pressure
 * @param limits the cores' size limits
 * @param speeds the slow servers
 * @param bursts whether bursts of large writes are submitted
 */
public record PressureProfile(boolean pressure, PeerProtocol.Limits limits, Map<Long, SimConfig.ServerSpeed> speeds,
    boolean bursts) {

  private static final int KIB = 1024;

  /**
   * Copies the speeds.
   *
   * @param pressure whether this run is under pressure
   * @param limits the cores' size limits
   * @param speeds the slow servers
   * @param bursts whether bursts of large writes are submitted
   */
  public PressureProfile {
    speeds = Map.copyOf(speeds);
  }

  /**
   * The profile of {@code seed} (independent of the run's own random source, so both replay exactly).
   *
   * @param seed the run's seed
   * @param servers number of servers
   * @param enabled whether pressure is allowed at all (if not: no pressure)
   * @param fsyncMinMicros shortest fsync of a server whose disk is not slow
   * @param fsyncMaxMicros longest fsync of a server whose disk is not slow
   * @return the profile
   */
  public static PressureProfile draw(long seed, int servers, boolean enabled, long fsyncMinMicros, long fsyncMaxMicros) {
    SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 0x5DEECE66DL);
    if (!enabled || r.nextBoolean()) {
      return new PressureProfile(false, PeerProtocol.Limits.defaults(), Map.of(), false);
    }
    long[] windows = {12 * KIB, 48 * KIB, 160 * KIB};
    long[] retention = {0, 16 * KIB, 96 * KIB};
    int[] batch = {4, 1_000};
    PeerProtocol.Limits limits = new PeerProtocol.Limits(16 * KIB, batch[r.nextInt(batch.length)], 64 * KIB,
        windows[r.nextInt(windows.length)], retention[r.nextInt(retention.length)]);
    Map<Long, SimConfig.ServerSpeed> speeds = new TreeMap<>();
    for (long id = 1; id <= servers; id++) {
      boolean slowDisk = r.nextInt(4) == 0;
      boolean slowApply = r.nextInt(5) == 0;
      if (slowDisk || slowApply) {
        long min = slowDisk ? 20_000 : fsyncMinMicros;
        long max = slowDisk ? r.nextLong(40_000, 150_001) : fsyncMaxMicros;
        speeds.put(id, new SimConfig.ServerSpeed(min, max, slowApply ? r.nextLong(200, 2_001) : 0));
      }
    }
    return new PressureProfile(true, limits, speeds, r.nextInt(4) != 0);
  }

  /**
   * One line for failure reports.
   *
   * @return the limits, bursts and slow servers, or "no pressure"
   */
  public String describe() {
    if (!pressure) {
      return "no pressure (production limits, equal servers)";
    }
    StringBuilder sb = new StringBuilder("pressure: window ").append(limits.maxInFlightBytes() / KIB).append(" KiB, frame ")
        .append(limits.maxFrameBytes() / KIB).append(" KiB, batch ").append(limits.maxBatchTxns()).append(" txns, retain ")
        .append(limits.logRetentionBytes() / KIB).append(" KiB, bursts ").append(bursts ? "on" : "off");
    speeds.forEach((id, s) -> sb.append(", s").append(id).append(" fsync ").append(s.fsyncMinMicros() / 1000).append('-')
        .append(s.fsyncMaxMicros() / 1000).append(" ms apply ").append(s.applyMicros()).append(" us"));
    return sb.toString();
  }
}
