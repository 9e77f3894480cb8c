package io.zab.testkit.sim;

/**
 * Latencies of the simulated network, in microseconds: each link gets a base latency in
 * [{@code minLatency}, {@code maxLatency}] and every message adds up to {@code jitter}; a lost connection
 * is noticed after up to {@code detectDelay} by each end, and a possible connection is (re)established
 * after up to {@code connectDelay}.
 *
 * @param minLatency shortest base latency of a link
 * @param maxLatency longest base latency of a link
 * @param jitter the most latency a message adds to its link's
 * @param detectDelay the longest an end takes to notice a lost connection
 * @param connectDelay the longest a possible connection takes to be (re)established
 */
public record NetworkModel(long minLatency, long maxLatency, long jitter, long detectDelay, long connectDelay) {
  /**
   * A LAN: 100-500 µs links, 300 µs jitter, losses noticed within 20 ms, reconnects within 30 ms.
   *
   * @return the model of a LAN
   */
  public static NetworkModel lan() {
    return new NetworkModel(100, 500, 300, 20_000, 30_000);
  }
}
