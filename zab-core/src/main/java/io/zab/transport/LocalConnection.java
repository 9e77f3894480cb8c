package io.zab.transport;

import io.zab.wire.Message;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One connection between two {@link LocalTransport}s: FIFO in each direction, bounded, and once closed it
 * delivers nothing more. A reconnect is a new instance, so messages of an old connection can never leak into
 * a new one.
 */
final class LocalConnection {
  private final LocalTransport low;
  private final LocalTransport high;
  private final LocalNetwork.Pair pair;
  private final AtomicInteger pendingLowToHigh = new AtomicInteger();
  private final AtomicInteger pendingHighToLow = new AtomicInteger();
  private volatile boolean open;

  LocalConnection(LocalTransport a, LocalTransport b) {
    this.low = a.self() < b.self() ? a : b;
    this.high = a.self() < b.self() ? b : a;
    this.pair = LocalNetwork.Pair.of(a.self(), b.self());
  }

  LocalTransport low() {
    return low;
  }

  LocalTransport high() {
    return high;
  }

  LocalNetwork.Pair pair() {
    return pair;
  }

  boolean isOpen() {
    return open;
  }

  /** Announces the connection to both ends; the flag is set last so no message can precede the announcement. */
  void open() {
    low.enqueue(new LocalTransport.Envelope.Up(this, high.self()));
    high.enqueue(new LocalTransport.Envelope.Up(this, low.self()));
    open = true;
  }

  void close() {
    if (!open) {
      return;
    }
    open = false;
    low.enqueue(new LocalTransport.Envelope.Down(high.self()));
    high.enqueue(new LocalTransport.Envelope.Down(low.self()));
  }

  /** Queues {@code m} from {@code from} to the other end; false if closed or if this overflowed it. */
  boolean send(LocalTransport from, Message m, LocalNetwork network) {
    if (!open) {
      return false;
    }
    AtomicInteger pending = pendingFrom(from.self());
    if (pending.incrementAndGet() > network.linkCapacity()) {
      pending.decrementAndGet();
      network.reset(this);
      return false;
    }
    LocalTransport to = from == low ? high : low;
    to.enqueue(new LocalTransport.Envelope.Data(this, from.self(), network.onTheWire(m)));
    return true;
  }

  /** Whether {@code from} may send without approaching the bound. */
  boolean writable(long from, LocalNetwork network) {
    return open && pendingFrom(from).get() < network.linkCapacity() / 2;
  }

  void delivered(long from) {
    pendingFrom(from).decrementAndGet();
  }

  private AtomicInteger pendingFrom(long from) {
    return from == low.self() ? pendingLowToHigh : pendingHighToLow;
  }
}
