package io.zab.transport.netty;

import io.zab.metrics.MetricNames;
import io.zab.metrics.NodeMetrics;
import java.util.concurrent.atomic.LongAdder;

/** Counters of one transport, for monitoring and tests; bound to the node's metrics by {@link #bind}. Thread-safe. */
public final class TransportStats {
  private final LongAdder messagesReceived = new LongAdder();
  private final LongAdder connectionsRejected = new LongAdder();
  private final LongAdder unexpectedErrors = new LongAdder();
  private final LongAdder bytesSent = new LongAdder();
  private final LongAdder bytesReceived = new LongAdder();
  private final LongAdder reconnects = new LongAdder();
  private final LongAdder connectionsLost = new LongAdder();

  TransportStats() {} // made by the transport only

  void messageReceived() {
    messagesReceived.increment();
  }

  void connectionRejected(boolean expected) {
    connectionsRejected.increment();
    if (!expected) {
      unexpectedErrors.increment();
    }
  }

  void sent(int frameBytes) {
    bytesSent.add(frameBytes);
  }

  void received(int frameBytes) {
    bytesReceived.add(frameBytes);
  }

  void reconnect() {
    reconnects.increment();
  }

  void connectionLost() {
    connectionsLost.increment();
  }

  /**
   * Messages decoded from authenticated peers.
   *
   * @return the count since the transport was made
   */
  public long messagesReceived() {
    return messagesReceived.sum();
  }

  /**
   * Connections closed because of bad input, a failed handshake, a timeout or an I/O error.
   *
   * @return the count since the transport was made
   */
  public long connectionsRejected() {
    return connectionsRejected.sum();
  }

  /**
   * Connections closed by an error that is not a recognised kind of bad input: a bug of ours.
   *
   * @return the count since the transport was made
   */
  public long unexpectedErrors() {
    return unexpectedErrors.sum();
  }

  /**
   * Frame bytes (length prefix and body, before TLS) handed to connections to peers.
   *
   * @return the count since the transport was made
   */
  public long bytesSent() {
    return bytesSent.sum();
  }

  /**
   * Frame bytes (length prefix and body, after TLS) received from peers, handshakes and keepalives included.
   *
   * @return the count since the transport was made
   */
  public long bytesReceived() {
    return bytesReceived.sum();
  }

  /**
   * Outgoing connection attempts made after a failed attempt or the loss of a connection.
   *
   * @return the count since the transport was made
   */
  public long reconnects() {
    return reconnects.sum();
  }

  /**
   * Connections in use to a peer that ended.
   *
   * @return the count since the transport was made
   */
  public long connectionsLost() {
    return connectionsLost.sum();
  }

  /** Registers these counters with a node's metrics ({@code zab.transport.*} in {@link MetricNames}). */
  void bind(NodeMetrics metrics) {
    metrics.counter(MetricNames.TRANSPORT_SENT_BYTES, "bytes", "frame bytes sent to peers", this::bytesSent);
    metrics.counter(MetricNames.TRANSPORT_RECEIVED_BYTES, "bytes", "frame bytes received from peers",
        this::bytesReceived);
    metrics.counter(MetricNames.TRANSPORT_RECEIVED_MESSAGES, null, "messages received from peers",
        this::messagesReceived);
    metrics.counter(MetricNames.TRANSPORT_RECONNECTS, null, "connection attempts after a failure or a loss",
        this::reconnects);
    metrics.counter(MetricNames.TRANSPORT_CONNECTIONS_LOST, null, "connections in use that ended",
        this::connectionsLost);
    metrics.counter(MetricNames.TRANSPORT_CONNECTIONS_REJECTED, null, "connections closed for bad input, a failed"
        + " handshake, a timeout or an I/O error", this::connectionsRejected);
    metrics.counter(MetricNames.TRANSPORT_UNEXPECTED_ERRORS, null, "connections closed by an unexpected error (a bug)",
        this::unexpectedErrors);
  }

  @Override
  public String toString() {
    return "messagesReceived=" + messagesReceived() + " connectionsRejected=" + connectionsRejected()
        + " unexpectedErrors=" + unexpectedErrors() + " bytesSent=" + bytesSent() + " bytesReceived="
        + bytesReceived() + " reconnects=" + reconnects() + " connectionsLost=" + connectionsLost();
  }
}
