package io.zab.protocol;

/**
 * The core's timeouts, all in ticks (the runtime ticks every 50 ms by default).
 *
 * @param finalizeWaitTicks after my vote has a quorum, how long to wait for a better vote before deciding
 * @param maxNotificationIntervalTicks upper bound of the notification resend backoff (doubles from 1 tick)
 * @param initLimitTicks discovery plus sync must complete within this many ticks, or back to LOOKING
 * @param syncLimitTicks a follower that hears nothing from its leader, or a leader that hears from no quorum,
 *     for this many ticks goes back to LOOKING
 * @param pingIntervalTicks heartbeat period in both directions
 */
public record Timing(int finalizeWaitTicks, int maxNotificationIntervalTicks, int initLimitTicks,
                     int syncLimitTicks, int pingIntervalTicks) {

  public Timing {
    requireAtLeast("finalizeWaitTicks", finalizeWaitTicks, 0);
    requireAtLeast("maxNotificationIntervalTicks", maxNotificationIntervalTicks, 1);
    requireAtLeast("initLimitTicks", initLimitTicks, 1);
    requireAtLeast("syncLimitTicks", syncLimitTicks, 1);
    requireAtLeast("pingIntervalTicks", pingIntervalTicks, 1);
    if (pingIntervalTicks >= syncLimitTicks) {
      throw new IllegalArgumentException("pingIntervalTicks (" + pingIntervalTicks
          + ") must be smaller than syncLimitTicks (" + syncLimitTicks + ") or healthy peers time out");
    }
  }

  /** 200 ms finalize wait, 1 s max resend interval, 5 s initLimit, 2 s syncLimit, 250 ms pings (50 ms ticks). */
  public static Timing defaults() {
    return new Timing(4, 20, 100, 40, 5);
  }

  private static void requireAtLeast(String name, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be >= " + min + ", got " + value);
    }
  }
}
