package io.zab;

/**
 * A ZAB transaction id: the leader epoch in the high 32 bits and a counter within that epoch in the low 32.
 *
 * <p>Zxids order transactions globally: by epoch first, then by counter. {@link #ZERO} precedes every real
 * transaction. Instances are immutable and thread-safe.
 *
 * <pre>{@code
 * Zxid z = Zxid.of(3, 17);
 * assert z.epoch() == 3 && z.counter() == 17;
 * assert z.compareTo(Zxid.of(4, 0)) < 0;
 * System.out.println(z); // 0x3:0x11
 * }</pre>
 *
 * @param value the raw 64-bit value
 */
public record Zxid(long value) implements Comparable<Zxid> {

  /** The zxid before any transaction: epoch 0, counter 0. */
  public static final Zxid ZERO = new Zxid(0L);

  /** The largest counter an epoch can hold; reaching it forces a new epoch. */
  public static final long MAX_COUNTER = 0xFFFF_FFFFL;

  /**
   * Builds a zxid from its parts.
   *
   * @param epoch the leader epoch, 0 to 2^32-1
   * @param counter the position within the epoch, 0 to 2^32-1
   * @return the zxid
   * @throws IllegalArgumentException if epoch or counter does not fit in 32 unsigned bits
   */
  public static Zxid of(long epoch, long counter) {
    if (epoch < 0 || epoch > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("epoch out of range [0, 2^32): " + epoch);
    }
    if (counter < 0 || counter > MAX_COUNTER) {
      throw new IllegalArgumentException("counter out of range [0, 2^32): " + counter);
    }
    return new Zxid((epoch << 32) | counter);
  }

  /**
   * The leader epoch that issued this zxid.
   *
   * @return the high 32 bits
   */
  public long epoch() {
    return value >>> 32;
  }

  /**
   * The position within the epoch.
   *
   * @return the low 32 bits
   */
  public long counter() {
    return value & 0xFFFF_FFFFL;
  }

  /**
   * The next zxid in the same epoch.
   *
   * @return this zxid plus one
   * @throws IllegalStateException if the counter is exhausted
   */
  public Zxid next() {
    if (counter() == MAX_COUNTER) {
      throw new IllegalStateException("zxid counter exhausted in epoch " + epoch());
    }
    return new Zxid(value + 1);
  }

  /**
   * Whether the counter is exhausted, so the next transaction needs a new epoch.
   *
   * @return true at {@link #MAX_COUNTER}
   */
  public boolean counterExhausted() {
    return counter() == MAX_COUNTER;
  }

  /**
   * Whether this zxid orders after {@code other}.
   *
   * @param other another zxid
   * @return true if later
   */
  public boolean isAfter(Zxid other) {
    return compareTo(other) > 0;
  }

  /**
   * Whether this zxid orders before {@code other}.
   *
   * @param other another zxid
   * @return true if earlier
   */
  public boolean isBefore(Zxid other) {
    return compareTo(other) < 0;
  }

  /**
   * The later of two zxids.
   *
   * @param a a zxid
   * @param b another
   * @return the later one
   */
  public static Zxid max(Zxid a, Zxid b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  /**
   * The earlier of two zxids.
   *
   * @param a a zxid
   * @param b another
   * @return the earlier one
   */
  public static Zxid min(Zxid a, Zxid b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  @Override
  public int compareTo(Zxid o) {
    return Long.compareUnsigned(value, o.value);
  }

  /**
   * Parses the form printed by {@link #toString()} ({@code 0x3:0x11}) or a plain hex value ({@code 0x300000011}).
   *
   * @param text the text
   * @return the zxid
   * @throws IllegalArgumentException if the text is not a zxid
   */
  public static Zxid parse(String text) {
    String s = text.trim();
    int colon = s.indexOf(':');
    try {
      if (colon >= 0) {
        return of(Long.parseLong(strip(s.substring(0, colon)), 16), Long.parseLong(strip(s.substring(colon + 1)), 16));
      }
      return new Zxid(Long.parseUnsignedLong(strip(s), 16));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a zxid: '" + text + "' (expected 0xEPOCH:0xCOUNTER)", e);
    }
  }

  private static String strip(String hex) {
    return hex.startsWith("0x") || hex.startsWith("0X") ? hex.substring(2) : hex;
  }

  @Override
  public String toString() {
    return "0x" + Long.toHexString(epoch()) + ":0x" + Long.toHexString(counter());
  }
}
