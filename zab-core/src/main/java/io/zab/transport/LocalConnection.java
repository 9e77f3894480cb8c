package io.zab.transport;

import io.zab.wire.Message;
import io.zab.wire.MessageCodec;
import java.util.ArrayDeque;

/**
 * One connection between two {@link LocalTransport}s: FIFO in each direction, bounded in messages and in bytes
 * (like a TCP connection with a bounded send buffer: past the bound it is closed), and once closed it delivers
 * nothing more. A reconnect is a new instance, so messages of an old connection can never leak into a new one.
 * A direction can be held (its receiver stops reading): its messages wait, still counting against the bounds.
 */
final class LocalConnection {
  /** Sizes bodies without a cap: the bound here is on queued bytes, the frame cap is the codec's business. */
  private static final MessageCodec SIZER = new MessageCodec(Integer.MAX_VALUE - MessageCodec.LENGTH_PREFIX_BYTES);

  private final LocalTransport low;
  private final LocalTransport high;
  private final LocalNetwork.Pair pair;
  private final Direction fromLow = new Direction();
  private final Direction fromHigh = new Direction();
  private volatile boolean open;

  /** One direction's undelivered messages and bytes, and what is held while its receiver does not read. */
  private static final class Direction {
    int messages;
    long bytes;
    boolean held;
    final ArrayDeque<LocalTransport.Envelope.Data> heldData = new ArrayDeque<>();
  }

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

  /**
   * Announces the connection to both ends; the flag is set last so no message can precede the announcement.
   * Under the monitor, so that an end which already saw the announcement and sends at once waits for the flag
   * (see {@link #send}) instead of having its message dropped with no disconnect ever reported.
   */
  synchronized void open() {
    low.enqueue(new LocalTransport.Envelope.Up(this, high.self()));
    high.enqueue(new LocalTransport.Envelope.Up(this, low.self()));
    open = true;
  }

  /** Whether open, once an {@link #open()} in progress has finished. */
  private synchronized boolean openedByNow() {
    return open;
  }

  void close() {
    if (!open) {
      return;
    }
    open = false;
    low.enqueue(new LocalTransport.Envelope.Down(high.self()));
    high.enqueue(new LocalTransport.Envelope.Down(low.self()));
  }

  /**
   * Queues {@code m} from {@code from} to the other end; false if closed, or if it would take that direction past
   * its bound in messages or bytes (the connection is then closed, as a transport closes one whose peer does not read).
   */
  boolean send(LocalTransport from, Message m, LocalNetwork network) {
    if (!open && !openedByNow()) {
      return false;
    }
    long size = SIZER.encodedSize(m);
    LocalTransport to = from == low ? high : low;
    boolean overflow;
    synchronized (this) { // FIFO with release()
      Direction d = direction(from.self());
      overflow = d.messages + 1 > network.linkCapacity() || d.bytes + size > network.maxPendingBytes();
      if (!overflow) {
        d.messages++;
        d.bytes += size;
        LocalTransport.Envelope.Data data = new LocalTransport.Envelope.Data(this, from.self(), network.onTheWire(m), size);
        if (d.held) {
          d.heldData.add(data);
        } else {
          to.enqueue(data);
        }
      }
    }
    if (overflow) {
      network.overflowed(this);
      return false;
    }
    return true;
  }

  /** Whether {@code from} may send without approaching the bounds. */
  synchronized boolean writable(long from, LocalNetwork network) {
    Direction d = direction(from);
    return open && d.messages < network.linkCapacity() / 2 && d.bytes < network.writeBufferHighBytes();
  }

  /** Messages from {@code from} wait until {@link #release(long)} (its peer stops reading). */
  synchronized void hold(long from) {
    direction(from).held = true;
  }

  /** Delivers what was held from {@code from}, in order, and stops holding. */
  synchronized void release(long from) {
    Direction d = direction(from);
    d.held = false;
    LocalTransport to = from == low.self() ? high : low;
    while (!d.heldData.isEmpty()) {
      to.enqueue(d.heldData.poll());
    }
  }

  synchronized void delivered(long from, long bytes) {
    Direction d = direction(from);
    d.messages--;
    d.bytes -= bytes;
  }

  private Direction direction(long from) {
    return from == low.self() ? fromLow : fromHigh;
  }
}
