package io.zab.testkit.sim;

import io.zab.protocol.Event;
import io.zab.wire.Message;
import io.zab.wire.MessageCodec;
import java.util.SplittableRandom;

/**
 * A network of FIFO connections, one per pair of servers, lossy only when a connection breaks (TCP
 * semantics): every message carries its connection's generation and is dropped if that connection broke
 * before delivery; both ends are told ({@code PeerDisconnected}) and later reconnected ({@code PeerConnected})
 * once the pair can talk again. Everything a server receives from one peer (messages and connection
 * events) travels one FIFO channel.
 *
 * <p>Two kinds of partition: a <b>cut</b> (both directions, noticed by both ends within the detection
 * delay, like an interface going down) and a <b>stall</b> of one direction (asymmetric, half-open: messages
 * that way wait in the sender's buffer while the other way still flows; if the stall outlasts a TCP
 * retransmission timeout the connection breaks, otherwise the held messages arrive in order when it heals).
 * A server left connected to two sides that are cut from each other is a bridge.
 */
public final class SimNetwork {
  private final int size;
  private final Scheduler scheduler;
  private final SplittableRandom random;
  private final NetworkModel model;
  private final EventSink sink;
  private final long[][] baseLatency;
  private final long[][] lastDelivery;
  private final boolean[][] cut;
  private final boolean[][] stalled;
  private final java.util.List<java.util.List<Runnable>> held = new java.util.ArrayList<>();
  private final boolean[][] up;
  private final long[][] generation;
  /** Counted bytes (proposals, forwarded writes) sent on the current connection and still in the network. */
  private final long[][] queuedBytes;
  private long spikeUntil;
  private long spikeExtra;
  private long sent;
  private long dropped;

  SimNetwork(int size, Scheduler scheduler, SplittableRandom random, NetworkModel model, EventSink sink) {
    this.size = size;
    this.scheduler = scheduler;
    this.random = random;
    this.model = model;
    this.sink = sink;
    baseLatency = new long[size + 1][size + 1];
    lastDelivery = new long[size + 1][size + 1];
    cut = new boolean[size + 1][size + 1];
    stalled = new boolean[size + 1][size + 1];
    for (int i = 0; i < (size + 1) * (size + 1); i++) {
      held.add(new java.util.ArrayList<>());
    }
    up = new boolean[size + 1][size + 1];
    generation = new long[size + 1][size + 1];
    queuedBytes = new long[size + 1][size + 1];
    for (int a = 1; a <= size; a++) {
      for (int b = 1; b <= size; b++) {
        baseLatency[a][b] = random.nextLong(model.minLatency(), model.maxLatency() + 1);
      }
    }
  }

  /**
   * Messages sent so far.
   *
   * @return the number sent, dropped ones included
   */
  public long sent() {
    return sent;
  }

  /**
   * Messages dropped so far (no connection when sent, or it broke before delivery).
   *
   * @return the number dropped
   */
  public long dropped() {
    return dropped;
  }

  /**
   * Whether {@code a} and {@code b} have a connection now.
   *
   * @param a one server's id
   * @param b the other server's id
   * @return true if the connection is up
   */
  public boolean connected(long a, long b) {
    return up[(int) a][(int) b];
  }

  /**
   * Sends {@code message} over the connection between {@code from} and {@code to}; dropped if there is none.
   *
   * @param from the sender's id
   * @param to the addressee's id
   * @param message the message
   */
  public void send(long from, long to, Message message) {
    int f = (int) from;
    int t = (int) to;
    sent++;
    if (f == t || !up[f][t]) {
      dropped++;
      return;
    }
    long gen = generation[f][t];
    long extra = scheduler.now() < spikeUntil ? spikeExtra : 0;
    long latency = baseLatency[f][t] + random.nextLong(model.jitter() + 1) + extra;
    long inc = sink.incarnation(to);
    long bytes = countedBytes(message);
    queuedBytes[f][t] += bytes;
    sink.queued(from, to, gen, queuedBytes[f][t], bytes);
    Runnable delivery = () -> {
      if (up[f][t] && generation[f][t] == gen) {
        queuedBytes[f][t] -= bytes;
        sink.deliver(to, inc, from, message, gen, bytes);
      } else {
        dropped++;
      }
    };
    if (stalled[f][t]) {
      held(f, t).add(() -> channel(f, t, latency, delivery));
    } else {
      channel(f, t, latency, delivery);
    }
  }

  /**
   * What a message counts against the in-flight bound: the body bytes of proposals and forwarded writes, which the
   * core bounds by its window; 0 for the small control messages, and for snapshot chunks (the runtime sends those
   * only while the transport reports the peer writable).
   */
  static long countedBytes(Message m) {
    if (m instanceof Message.Proposal p) {
      return MessageCodec.proposalBytes(p.txns());
    }
    if (m instanceof Message.Request r) {
      return MessageCodec.REQUEST_OVERHEAD_BYTES + (long) r.data().length;
    }
    return 0;
  }

  private java.util.List<Runnable> held(int from, int to) {
    return held.get(from * (size + 1) + to);
  }

  private void channel(int from, int to, long latency, Runnable delivery) {
    long at = Math.max(scheduler.now() + latency, lastDelivery[from][to]);
    lastDelivery[from][to] = at;
    scheduler.at(at, delivery);
  }

  /**
   * Cuts both directions between {@code a} and {@code b}; the connection breaks at once.
   *
   * @param a one server's id
   * @param b the other server's id
   */
  public void cut(long a, long b) {
    cut[(int) a][(int) b] = true;
    cut[(int) b][(int) a] = true;
    refresh();
  }

  /**
   * Stalls messages from {@code from} to {@code to} (one direction, half-open connection); if still stalled
   * after a TCP retransmission timeout of {@code minTimeoutMicros}..{@code maxTimeoutMicros}, the connection
   * breaks.
   *
   * @param from the sender whose messages stall
   * @param to the server they are addressed to
   * @param minTimeoutMicros shortest retransmission timeout
   * @param maxTimeoutMicros longest retransmission timeout
   */
  public void stall(long from, long to, long minTimeoutMicros, long maxTimeoutMicros) {
    int f = (int) from;
    int t = (int) to;
    if (stalled[f][t]) {
      return;
    }
    stalled[f][t] = true;
    long gen = generation[f][t];
    scheduler.after(random.nextLong(minTimeoutMicros, maxTimeoutMicros + 1), () -> {
      if (stalled[f][t] && up[f][t] && generation[f][t] == gen) {
        breakConnection(f, t);
      }
    });
  }

  /** Lifts every cut and stall; messages held by a stall go on, in order. */
  public void healAll() {
    for (boolean[] row : cut) {
      java.util.Arrays.fill(row, false);
    }
    for (int f = 1; f <= size; f++) {
      for (int t = 1; t <= size; t++) {
        stalled[f][t] = false;
        java.util.List<Runnable> waiting = new java.util.ArrayList<>(held(f, t));
        held(f, t).clear();
        waiting.forEach(Runnable::run);
      }
    }
  }

  /**
   * Whether messages from {@code from} to {@code to} are cut or stalled.
   *
   * @param from the sender's id
   * @param to the addressee's id
   * @return true if that direction is cut or stalled
   */
  public boolean blocked(long from, long to) {
    return cut[(int) from][(int) to] || stalled[(int) from][(int) to];
  }

  /**
   * Adds {@code extraMicros} to every message sent during the next {@code durationMicros}.
   *
   * @param durationMicros how long the spike lasts
   * @param extraMicros the latency added to each message sent meanwhile
   */
  public void delaySpike(long durationMicros, long extraMicros) {
    spikeUntil = scheduler.now() + durationMicros;
    spikeExtra = extraMicros;
  }

  /** Whether a new connection could be set up (a handshake needs both directions). */
  private boolean canConnect(int a, int b) {
    return a != b && sink.alive(a) && sink.alive(b) && !blocked(a, b) && !blocked(b, a) && sink.mayConnect(a, b);
  }

  /** Breaks every connection whose end died or that was cut (stalled ones break at their timeout). */
  public void refresh() {
    for (int a = 1; a <= size; a++) {
      for (int b = a + 1; b <= size; b++) {
        if (up[a][b] && (!sink.alive(a) || !sink.alive(b) || cut[a][b] || !sink.mayConnect(a, b))) {
          breakConnection(a, b);
        }
      }
    }
  }

  private void breakConnection(int a, int b) {
    up[a][b] = false;
    up[b][a] = false;
    queuedBytes[a][b] = 0;
    queuedBytes[b][a] = 0;
    held(a, b).clear();
    held(b, a).clear();
    notifyEnd(a, b, new Event.PeerDisconnected(b), random.nextLong(1, model.detectDelay() + 1));
    notifyEnd(b, a, new Event.PeerDisconnected(a), random.nextLong(1, model.detectDelay() + 1));
  }

  /** Establishes, after a random delay, every connection that could work but is down. Call periodically. */
  public void reconnect() {
    for (int a = 1; a <= size; a++) {
      for (int b = a + 1; b <= size; b++) {
        if (!up[a][b] && canConnect(a, b)) {
          up[a][b] = true;
          up[b][a] = true;
          generation[a][b]++;
          generation[b][a]++;
          long delay = random.nextLong(1, model.connectDelay() + 1);
          notifyConnected(a, b, delay);
          notifyConnected(b, a, delay);
        }
      }
    }
  }

  private void notifyConnected(int self, int peer, long delay) {
    long gen = generation[self][peer];
    long inc = sink.incarnation(self);
    channel(peer, self, delay, () -> {
      if (up[self][peer] && generation[self][peer] == gen) {
        sink.deliver(self, inc, new Event.PeerConnected(peer));
      }
    });
  }

  private void notifyEnd(int self, int peer, Event event, long delay) {
    if (!sink.alive(self)) {
      return;
    }
    long inc = sink.incarnation(self);
    channel(peer, self, delay, () -> sink.deliver(self, inc, event));
  }
}
