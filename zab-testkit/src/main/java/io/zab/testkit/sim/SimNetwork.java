package io.zab.testkit.sim;

import io.zab.protocol.Event;
import io.zab.wire.Message;
import java.util.SplittableRandom;

/**
 * A network of FIFO connections, one per pair of servers, lossy only when a connection breaks (TCP
 * semantics): every message carries its connection's generation and is dropped if that connection broke
 * before delivery; both ends are told ({@code PeerDisconnected}) and later reconnected ({@code PeerConnected})
 * once the pair can talk again. Everything a server receives from one peer (messages and connection
 * events) travels one FIFO channel. Directed blocks model partitions, including asymmetric ones (a
 * connection needs both directions) and bridges (blocks that are not transitive).
 */
public final class SimNetwork {
  private final int size;
  private final Scheduler scheduler;
  private final SplittableRandom random;
  private final NetworkModel model;
  private final EventSink sink;
  private final long[][] baseLatency;
  private final long[][] lastDelivery;
  private final boolean[][] blocked;
  private final boolean[][] up;
  private final long[][] generation;
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
    blocked = new boolean[size + 1][size + 1];
    up = new boolean[size + 1][size + 1];
    generation = new long[size + 1][size + 1];
    for (int a = 1; a <= size; a++) {
      for (int b = 1; b <= size; b++) {
        baseLatency[a][b] = random.nextLong(model.minLatency(), model.maxLatency() + 1);
      }
    }
  }

  public long sent() {
    return sent;
  }

  public long dropped() {
    return dropped;
  }

  public boolean connected(long a, long b) {
    return up[(int) a][(int) b];
  }

  /** Sends {@code message} over the a-b connection; dropped if there is none. */
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
    channel(f, t, latency, () -> {
      if (up[f][t] && generation[f][t] == gen) {
        sink.deliver(to, inc, new Event.Received(from, message));
      } else {
        dropped++;
      }
    });
  }

  private void channel(int from, int to, long latency, Runnable delivery) {
    long at = Math.max(scheduler.now() + latency, lastDelivery[from][to]);
    lastDelivery[from][to] = at;
    scheduler.at(at, delivery);
  }

  /** Blocks messages from {@code from} to {@code to} (one direction); the connection breaks. */
  public void block(long from, long to) {
    blocked[(int) from][(int) to] = true;
    refresh();
  }

  /** Lifts every block. */
  public void healAll() {
    for (boolean[] row : blocked) {
      java.util.Arrays.fill(row, false);
    }
  }

  public boolean blocked(long from, long to) {
    return blocked[(int) from][(int) to];
  }

  /** Adds {@code extraMicros} to every message sent during the next {@code durationMicros}. */
  public void delaySpike(long durationMicros, long extraMicros) {
    spikeUntil = scheduler.now() + durationMicros;
    spikeExtra = extraMicros;
  }

  private boolean canTalk(int a, int b) {
    return a != b && sink.alive(a) && sink.alive(b) && !blocked[a][b] && !blocked[b][a];
  }

  /** Breaks every connection that can no longer work (after a crash or a new block). */
  public void refresh() {
    for (int a = 1; a <= size; a++) {
      for (int b = a + 1; b <= size; b++) {
        if (up[a][b] && !canTalk(a, b)) {
          up[a][b] = false;
          up[b][a] = false;
          notifyEnd(a, b, new Event.PeerDisconnected(b), random.nextLong(1, model.detectDelay() + 1));
          notifyEnd(b, a, new Event.PeerDisconnected(a), random.nextLong(1, model.detectDelay() + 1));
        }
      }
    }
  }

  /** Establishes, after a random delay, every connection that could work but is down. Call periodically. */
  public void reconnect() {
    for (int a = 1; a <= size; a++) {
      for (int b = a + 1; b <= size; b++) {
        if (!up[a][b] && canTalk(a, b)) {
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
