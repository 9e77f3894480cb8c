package io.zab.transport.netty;

import io.zab.wire.MessageCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link NettyTransport}. Build one with {@link #builder(String)}; every setting but the
 * cluster id has a default suited to a LAN.
 *
 * <pre>{@code
 * NettyConfig config = NettyConfig.builder("orders-prod")
 *     .tls(new TlsConfig(cert, key, ca))
 *     .handshakeTimeout(Duration.ofSeconds(5))
 *     .build();
 * TransportFactory factory = NettyTransport.factory(config);
 * }</pre>
 *
 * @param clusterId name of the ensemble; peers with another cluster id are refused (1..255 UTF-8 bytes)
 * @param bindHost address to listen on, or null to listen on this server's {@code Member.host()}
 * @param tls mutual TLS files, or null for plaintext (development only: peers are not authenticated)
 * @param handshakeTimeout time a new connection has to finish TLS and the zab handshake
 * @param idleTimeout a connection that receives nothing for this long is closed; keepalives are sent
 *     after a third of it without writes
 * @param connectTimeout time a TCP connect may take
 * @param maxFrameBytes largest frame body accepted or sent (checked on the length prefix)
 * @param reconnectMin first reconnect delay
 * @param reconnectMax cap of the exponential reconnect delay
 * @param writeBufferLow a peer becomes writable again when its queued bytes fall below this
 * @param writeBufferHigh a peer becomes unwritable (backpressure) when its queued bytes exceed this
 * @param maxPendingBytes hard bound: a connection whose queued bytes would exceed this is closed
 * @param ioThreads number of event-loop threads
 * @param nativeIo use native epoll when available (Linux); false forces NIO
 */
public record NettyConfig(
    String clusterId,
    String bindHost,
    TlsConfig tls,
    Duration handshakeTimeout,
    Duration idleTimeout,
    Duration connectTimeout,
    int maxFrameBytes,
    Duration reconnectMin,
    Duration reconnectMax,
    int writeBufferLow,
    int writeBufferHigh,
    long maxPendingBytes,
    int ioThreads,
    boolean nativeIo) {

  /** Largest cluster id in UTF-8 bytes (it travels in one length byte of the handshake). */
  public static final int MAX_CLUSTER_ID_BYTES = 255;

  /**
   * Checks the settings.
   *
   * @param clusterId 1..255 UTF-8 bytes
   * @param bindHost or null
   * @param tls or null for plaintext
   * @param handshakeTimeout positive
   * @param idleTimeout positive
   * @param connectTimeout positive
   * @param maxFrameBytes at least 64
   * @param reconnectMin positive
   * @param reconnectMax at least reconnectMin, at most an hour
   * @param writeBufferLow positive
   * @param writeBufferHigh at least writeBufferLow
   * @param maxPendingBytes at least writeBufferHigh + maxFrameBytes
   * @param ioThreads positive
   * @param nativeIo whether to use epoll when available
   * @throws IllegalArgumentException naming the setting that is out of range
   */
  public NettyConfig {
    Objects.requireNonNull(clusterId, "clusterId");
    int idBytes = clusterId.getBytes(StandardCharsets.UTF_8).length;
    if (idBytes == 0 || idBytes > MAX_CLUSTER_ID_BYTES) {
      throw new IllegalArgumentException("clusterId must be 1.." + MAX_CLUSTER_ID_BYTES + " UTF-8 bytes, got "
          + idBytes);
    }
    requirePositive(handshakeTimeout, "handshakeTimeout");
    requirePositive(idleTimeout, "idleTimeout");
    requirePositive(connectTimeout, "connectTimeout");
    requirePositive(reconnectMin, "reconnectMin");
    requirePositive(reconnectMax, "reconnectMax");
    if (reconnectMax.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("reconnectMax must be at most an hour, got " + reconnectMax);
    }
    if (reconnectMax.compareTo(reconnectMin) < 0) {
      throw new IllegalArgumentException("reconnectMax " + reconnectMax + " < reconnectMin " + reconnectMin);
    }
    if (maxFrameBytes < 64) {
      throw new IllegalArgumentException("maxFrameBytes must be at least 64, got " + maxFrameBytes);
    }
    if (writeBufferLow <= 0 || writeBufferHigh < writeBufferLow) {
      throw new IllegalArgumentException("need 0 < writeBufferLow <= writeBufferHigh, got " + writeBufferLow
          + " / " + writeBufferHigh);
    }
    if (maxPendingBytes < (long) writeBufferHigh + maxFrameBytes) {
      throw new IllegalArgumentException("maxPendingBytes " + maxPendingBytes
          + " must be at least writeBufferHigh + maxFrameBytes = " + ((long) writeBufferHigh + maxFrameBytes));
    }
    if (ioThreads <= 0) {
      throw new IllegalArgumentException("ioThreads must be positive, got " + ioThreads);
    }
  }

  /**
   * Whether connections are authenticated and encrypted with mutual TLS.
   *
   * @return true if {@link #tls()} is set
   */
  public boolean tlsEnabled() {
    return tls != null;
  }

  /**
   * A builder with every other setting at its default.
   *
   * @param clusterId name of the ensemble, the same on every server
   * @return a new builder
   */
  public static Builder builder(String clusterId) {
    return new Builder(clusterId);
  }

  private static void requirePositive(Duration d, String what) {
    Objects.requireNonNull(d, what);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, got " + d);
    }
  }

  /** Builder of {@link NettyConfig}; plaintext until {@link #tls(TlsConfig)} is called. */
  public static final class Builder {
    private final String clusterId;
    private String bindHost;
    private TlsConfig tls;
    private Duration handshakeTimeout = Duration.ofSeconds(5);
    private Duration idleTimeout = Duration.ofSeconds(10);
    private Duration connectTimeout = Duration.ofSeconds(3);
    private int maxFrameBytes = MessageCodec.DEFAULT_MAX_FRAME_BYTES;
    private Duration reconnectMin = Duration.ofMillis(50);
    private Duration reconnectMax = Duration.ofSeconds(2);
    private int writeBufferLow = 1 << 20;
    private int writeBufferHigh = 4 << 20;
    private long maxPendingBytes = -1;
    private int ioThreads = 2;
    private boolean nativeIo = true;

    private Builder(String clusterId) {
      this.clusterId = clusterId;
    }

    /**
     * The address to listen on (default: this server's {@code Member.host()}).
     *
     * @param host a host name or IP address, e.g. {@code 0.0.0.0}
     * @return this builder
     */
    public Builder bindHost(String host) {
      this.bindHost = host;
      return this;
    }

    /**
     * Mutual TLS with these files (default: plaintext).
     *
     * @param tls the certificate, key and trust files
     * @return this builder
     */
    public Builder tls(TlsConfig tls) {
      this.tls = Objects.requireNonNull(tls, "tls");
      return this;
    }

    /**
     * No TLS (development only: peers are not authenticated).
     *
     * @return this builder
     */
    public Builder plaintext() {
      this.tls = null;
      return this;
    }

    /**
     * Time a new connection has to finish TLS and the zab handshake (default 5 s).
     *
     * @param d positive
     * @return this builder
     */
    public Builder handshakeTimeout(Duration d) {
      this.handshakeTimeout = d;
      return this;
    }

    /**
     * A connection that receives nothing for this long is closed (default 10 s).
     *
     * @param d positive
     * @return this builder
     */
    public Builder idleTimeout(Duration d) {
      this.idleTimeout = d;
      return this;
    }

    /**
     * Time a TCP connect may take (default 3 s).
     *
     * @param d positive
     * @return this builder
     */
    public Builder connectTimeout(Duration d) {
      this.connectTimeout = d;
      return this;
    }

    /**
     * Largest frame body accepted or sent (default 16 MiB).
     *
     * @param bytes at least 64
     * @return this builder
     */
    public Builder maxFrameBytes(int bytes) {
      this.maxFrameBytes = bytes;
      return this;
    }

    /**
     * Bounds of the exponential reconnect delay (default 50 ms to 2 s).
     *
     * @param min the first delay
     * @param max the cap, at most an hour
     * @return this builder
     */
    public Builder reconnectBackoff(Duration min, Duration max) {
      this.reconnectMin = min;
      this.reconnectMax = max;
      return this;
    }

    /**
     * Backpressure marks of a connection's queued bytes (default 1 MiB and 4 MiB).
     *
     * @param low writable again below it
     * @param high unwritable above it
     * @return this builder
     */
    public Builder writeBufferWaterMarks(int low, int high) {
      this.writeBufferLow = low;
      this.writeBufferHigh = high;
      return this;
    }

    /**
     * Hard bound of queued bytes per connection; default writeBufferHigh + 2 * maxFrameBytes.
     *
     * @param bytes at least writeBufferHigh + maxFrameBytes
     * @return this builder
     */
    public Builder maxPendingBytes(long bytes) {
      this.maxPendingBytes = bytes;
      return this;
    }

    /**
     * Number of event-loop threads (default 2).
     *
     * @param threads positive
     * @return this builder
     */
    public Builder ioThreads(int threads) {
      this.ioThreads = threads;
      return this;
    }

    /**
     * Whether to use native epoll when it is available (default true); false forces NIO.
     *
     * @param useNative false to force NIO
     * @return this builder
     */
    public Builder nativeIo(boolean useNative) {
      this.nativeIo = useNative;
      return this;
    }

    /**
     * Checks the settings and builds the config.
     *
     * @return the config
     * @throws IllegalArgumentException naming the setting that is out of range
     */
    public NettyConfig build() {
      long pendingBound = maxPendingBytes > 0 ? maxPendingBytes : (long) writeBufferHigh + 2L * maxFrameBytes;
      return new NettyConfig(clusterId, bindHost, tls, handshakeTimeout, idleTimeout, connectTimeout,
          maxFrameBytes, reconnectMin, reconnectMax, writeBufferLow, writeBufferHigh, pendingBound, ioThreads,
          nativeIo);
    }
  }
}
