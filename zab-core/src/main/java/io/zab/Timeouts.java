package io.zab;

import io.zab.protocol.Timing;
import java.time.Duration;
import java.util.Objects;

/**
 * The protocol's timeouts: how long an election waits, how long discovery and sync may take, and when a silent
 * leader or follower is given up. The node counts them in ticks of its clock ({@link ZabNode.Builder#tick}), each
 * rounded up to whole ticks. Use the same values on every server. A stall of the whole process (a long GC pause)
 * counts as one tick however long it was: the node measures silence it could have heard, not time it was frozen.
 *
 * <pre>{@code
 * Timeouts patient = Timeouts.defaults()
 *     .withSyncLimit(Duration.ofSeconds(5))        // a follower gives up on a silent leader after 5 s
 *     .withInitLimit(Duration.ofSeconds(30));      // room to ship a large snapshot during sync
 * ZabNode node = ZabNode.builder()...timeouts(patient).build();
 * }</pre>
 *
 * @param finalizeWait once this server's vote has a quorum, how long it waits for a better vote before it decides
 *     (zero: decide at once)
 * @param maxNotificationInterval upper bound of the election's resend backoff (which doubles from one tick)
 * @param initLimit discovery plus sync with a new leader must finish within it, or the server looks again
 * @param syncLimit a follower that hears nothing from its leader, or a leader that hears from no quorum, for this
 *     long goes back to electing (LOOKING)
 * @param pingInterval the heartbeat period in both directions; shorter than {@code syncLimit}
 */
public record Timeouts(Duration finalizeWait, Duration maxNotificationInterval, Duration initLimit,
                       Duration syncLimit, Duration pingInterval) {

  /**
   * Checks the values.
   *
   * @param finalizeWait zero or more
   * @param maxNotificationInterval positive
   * @param initLimit positive
   * @param syncLimit positive
   * @param pingInterval positive, shorter than {@code syncLimit}
   * @throws IllegalArgumentException naming a negative or zero timeout, or a ping interval not below the sync limit
   */
  public Timeouts {
    requireNotNegative("finalizeWait", finalizeWait);
    requirePositive("maxNotificationInterval", maxNotificationInterval);
    requirePositive("initLimit", initLimit);
    requirePositive("syncLimit", syncLimit);
    requirePositive("pingInterval", pingInterval);
    if (pingInterval.compareTo(syncLimit) >= 0) {
      throw new IllegalArgumentException("pingInterval (" + pingInterval + ") must be shorter than syncLimit ("
          + syncLimit + ") or healthy peers time out");
    }
  }

  /**
   * 200 ms finalize wait, 1 s longest resend interval, 5 s init limit, 2 s sync limit, 250 ms pings.
   *
   * @return the defaults
   */
  public static Timeouts defaults() {
    return new Timeouts(Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(2),
        Duration.ofMillis(250));
  }

  /**
   * Every timeout multiplied by {@code factor}: {@code defaults().scaledBy(0.4)} suits a test cluster on one
   * machine that should notice a lost leader within a second; {@code scaledBy(3)} a network with long pauses.
   *
   * @param factor greater than zero
   * @return the scaled timeouts
   */
  public Timeouts scaledBy(double factor) {
    if (!(factor > 0) || Double.isInfinite(factor)) {
      throw new IllegalArgumentException("factor must be a positive number, got " + factor);
    }
    return new Timeouts(scale(finalizeWait, factor), scale(maxNotificationInterval, factor), scale(initLimit, factor),
        scale(syncLimit, factor), scale(pingInterval, factor));
  }

  /**
   * These timeouts with another finalize wait.
   *
   * @param wait zero or more
   * @return the changed timeouts
   */
  public Timeouts withFinalizeWait(Duration wait) {
    return new Timeouts(wait, maxNotificationInterval, initLimit, syncLimit, pingInterval);
  }

  /**
   * These timeouts with another bound on the election's resend interval.
   *
   * @param interval positive
   * @return the changed timeouts
   */
  public Timeouts withMaxNotificationInterval(Duration interval) {
    return new Timeouts(finalizeWait, interval, initLimit, syncLimit, pingInterval);
  }

  /**
   * These timeouts with another init limit.
   *
   * @param limit positive
   * @return the changed timeouts
   */
  public Timeouts withInitLimit(Duration limit) {
    return new Timeouts(finalizeWait, maxNotificationInterval, limit, syncLimit, pingInterval);
  }

  /**
   * These timeouts with another sync limit.
   *
   * @param limit positive, longer than the ping interval
   * @return the changed timeouts
   */
  public Timeouts withSyncLimit(Duration limit) {
    return new Timeouts(finalizeWait, maxNotificationInterval, initLimit, limit, pingInterval);
  }

  /**
   * These timeouts with another ping interval.
   *
   * @param interval positive, shorter than the sync limit
   * @return the changed timeouts
   */
  public Timeouts withPingInterval(Duration interval) {
    return new Timeouts(finalizeWait, maxNotificationInterval, initLimit, syncLimit, interval);
  }

  /** The core's timing at {@code tick} per tick, each timeout rounded up to whole ticks. */
  Timing inTicks(Duration tick) {
    int ping = ticks(pingInterval, tick);
    int sync = ticks(syncLimit, tick);
    if (ping >= sync) {
      throw new IllegalArgumentException("pingInterval (" + pingInterval + ") and syncLimit (" + syncLimit
          + ") round to " + ping + " and " + sync + " ticks of " + tick + ": the ping interval must stay shorter;"
          + " use a shorter tick or a longer syncLimit");
    }
    return new Timing(ticks(finalizeWait, tick), ticks(maxNotificationInterval, tick), ticks(initLimit, tick), sync,
        ping);
  }

  private static int ticks(Duration d, Duration tick) {
    long whole = d.toNanos() / tick.toNanos();
    long ticks = d.toNanos() % tick.toNanos() == 0 ? whole : whole + 1;
    if (ticks > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(d + " is too many ticks of " + tick);
    }
    return (int) ticks;
  }

  private static Duration scale(Duration d, double factor) {
    return Duration.ofNanos(Math.round(d.toNanos() * factor));
  }

  private static void requireNotNegative(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative, got " + d);
    }
  }

  private static void requirePositive(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + d);
    }
  }
}
