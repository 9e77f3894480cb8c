package io.zab.transport;

import io.zab.Member;
import io.zab.ZabThreads;
import io.zab.wire.Message;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Transport} of one server on a {@link LocalNetwork}. One delivery thread per transport calls the
 * {@link Transport.Inbound} in the order events happened on each connection: {@code connected}, the messages,
 * {@code disconnected}.
 *
 * <pre>{@code
 * LocalNetwork net = LocalNetwork.create();
 * Transport t = net.transport(1, members);
 * t.start(inbound);
 * t.send(2, new Message.Ping(Zxid.ZERO));
 * t.close();
 * }</pre>
 *
 * <p>Thread-safety: as the SPI says: {@code send}/{@code flush} from one thread; {@code close} from any.
 */
public final class LocalTransport implements Transport {
  private static final Logger log = LoggerFactory.getLogger(LocalTransport.class);

  private final LocalNetwork network;
  private final long self;
  /** The servers this one connects to and accepts (never itself). */
  private volatile Set<Long> members;
  // Bounded in practice: data envelopes are bounded per connection; Up/Down only come from (rare) state changes.
  private final BlockingQueue<Envelope> queue = new LinkedBlockingQueue<>();
  private volatile Thread deliveryThread;
  private volatile boolean closed;
  private boolean started;

  LocalTransport(LocalNetwork network, long self, List<Member> members) {
    this.network = network;
    this.self = self;
    this.members = ids(members);
  }

  private Set<Long> ids(List<Member> members) {
    Set<Long> ids = new HashSet<>();
    members.forEach(m -> ids.add(m.id()));
    ids.remove(self);
    return Set.copyOf(ids);
  }

  /** Whether {@code peer} is one of this transport's members. */
  boolean knows(long peer) {
    return members.contains(peer);
  }

  @Override
  public void updateMembers(List<Member> members) {
    Set<Long> next = ids(members);
    if (!next.equals(this.members)) {
      log.info("server {}: transport members now {}", self, new java.util.TreeSet<>(next));
      this.members = next;
      network.membersChanged();
    }
  }

  /**
   * The id of the server that owns this transport.
   *
   * @return the server's id
   */
  public long self() {
    return self;
  }

  @Override
  public synchronized void start(Inbound inbound) {
    if (started || closed) {
      throw new IllegalStateException("transport of server " + self + " already started or closed");
    }
    started = true;
    Thread t = ZabThreads.newThread(self, "local-transport", () -> deliver(inbound));
    deliveryThread = t;
    t.start();
    network.register(this);
  }

  @Override
  public boolean send(long to, Message message) {
    LocalConnection c = network.connection(self, to);
    return c != null && !closed && c.send(this, message, network);
  }

  @Override
  public void flush() {
    // Messages are handed over in send(); nothing is buffered here.
  }

  @Override
  public boolean isWritable(long to) {
    LocalConnection c = network.connection(self, to);
    return c != null && c.writable(self, network);
  }

  @Override
  public int maxFrameBytes() {
    return network.maxFrameBytes();
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    network.unregister(this);
    Thread t = deliveryThread;
    if (t != null) {
      t.interrupt();
      if (t != Thread.currentThread()) {
        try {
          t.join(5_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  void enqueue(Envelope e) {
    if (!closed) {
      queue.add(e);
    }
  }

  private void deliver(Inbound inbound) {
    while (!closed) {
      Envelope e;
      try {
        e = queue.take();
        dispatch(inbound, e);
        awaitRoom(inbound);
      } catch (InterruptedException stop) {
        return; // close() interrupts us
      } catch (RuntimeException failure) {
        log.error("server {}: inbound handler failed: {}", self, failure.toString(), failure);
      }
    }
  }

  /** Backpressure, as a network transport stops reading: this transport's own thread waits for room. */
  private static void awaitRoom(Inbound inbound) throws InterruptedException {
    if (!inbound.hasRoom()) {
      java.util.concurrent.CountDownLatch room = new java.util.concurrent.CountDownLatch(1);
      inbound.whenRoom(room::countDown);
      room.await();
    }
  }

  private static void dispatch(Inbound inbound, Envelope e) {
    if (e instanceof Envelope.Data d) {
      d.connection().delivered(d.from(), d.bytes());
      if (d.connection().isOpen()) {
        inbound.received(d.from(), d.message());
      }
    } else if (e instanceof Envelope.Up u) {
      inbound.connected(u.peer());
    } else if (e instanceof Envelope.Down d) {
      inbound.disconnected(d.peer());
    }
  }

  /** What the delivery thread hands to the inbound, in order. */
  sealed interface Envelope {
    record Data(LocalConnection connection, long from, Message message, long bytes) implements Envelope {}

    record Up(LocalConnection connection, long peer) implements Envelope {}

    record Down(long peer) implements Envelope {}
  }
}
