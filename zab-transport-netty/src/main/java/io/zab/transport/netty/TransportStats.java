package io.zab.transport.netty;

import java.util.concurrent.atomic.LongAdder;

/** Counters of one transport, for monitoring and tests. Thread-safe. */
public final class TransportStats {
  private final LongAdder messagesReceived = new LongAdder();
  private final LongAdder connectionsRejected = new LongAdder();
  private final LongAdder unexpectedErrors = new LongAdder();

  void messageReceived() {
    messagesReceived.increment();
  }

  void connectionRejected(boolean expected) {
    connectionsRejected.increment();
    if (!expected) {
      unexpectedErrors.increment();
    }
  }

  /** Messages decoded from authenticated peers. */
  public long messagesReceived() {
    return messagesReceived.sum();
  }

  /** Connections closed because of bad input, a failed handshake, a timeout or an I/O error. */
  public long connectionsRejected() {
    return connectionsRejected.sum();
  }

  /** Connections closed by an error that is not a recognised kind of bad input: a bug of ours. */
  public long unexpectedErrors() {
    return unexpectedErrors.sum();
  }

  @Override
  public String toString() {
    return "messagesReceived=" + messagesReceived() + " connectionsRejected=" + connectionsRejected()
        + " unexpectedErrors=" + unexpectedErrors();
  }
}
