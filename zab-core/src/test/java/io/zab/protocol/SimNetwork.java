package io.zab.protocol;

import io.zab.wire.Message;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * Test double of the transport: one FIFO queue per directed link. Links can be cut (queues dropped, as a
 * lost TCP connection), stalled (a silent partition: held until healed) or paused by a test.
 */
final class SimNetwork {
  /** A message taken off a link. */
  record Delivery(long from, long to, Message message) {}

  private final Map<Long, ArrayDeque<Message>> links = new TreeMap<>();
  private final Set<Set<Long>> cut = new HashSet<>();
  private final Set<Long> paused = new HashSet<>();
  private final Set<Long> stalled = new HashSet<>();

  private static long key(long from, long to) {
    return from * 1000 + to;
  }

  boolean connected(long a, long b) {
    return !cut.contains(Set.of(a, b));
  }

  void enqueue(long from, long to, Message m) {
    if (connected(from, to)) {
      links.computeIfAbsent(key(from, to), k -> new ArrayDeque<>()).add(m);
    }
  }

  /** Loses the connection between a and b: whatever was in flight is gone. */
  void cut(long a, long b) {
    cut.add(Set.of(a, b));
    drop(a, b);
  }

  /** A server died: its connections and in-flight messages are gone (it reconnects on restart). */
  void drop(long a, long b) {
    links.remove(key(a, b));
    links.remove(key(b, a));
  }

  void stall(long a, long b) {
    stalled.add(key(a, b));
    stalled.add(key(b, a));
  }

  /** Lifts stalls and cuts; returns the cut pairs, which must now be reported as reconnected. */
  List<List<Long>> heal() {
    stalled.clear();
    List<List<Long>> healed = new ArrayList<>();
    cut.forEach(pair -> healed.add(pair.stream().sorted().toList()));
    cut.clear();
    healed.sort((x, y) -> Long.compare(key(x.get(0), x.get(1)), key(y.get(0), y.get(1))));
    return healed;
  }

  void pause(long from, long to) {
    paused.add(key(from, to));
  }

  void resume(long from, long to) {
    paused.remove(key(from, to));
  }

  private List<Long> deliverable() {
    return links.entrySet().stream()
        .filter(e -> !e.getValue().isEmpty() && !paused.contains(e.getKey()) && !stalled.contains(e.getKey()))
        .map(Map.Entry::getKey).toList();
  }

  /** The next message of the first deliverable link in sid order, or null when quiet. */
  Delivery next() {
    List<Long> busy = deliverable();
    return busy.isEmpty() ? null : take(busy.get(0));
  }

  /** The next message of a random deliverable link, or null when quiet. */
  Delivery next(Random rnd) {
    List<Long> busy = deliverable();
    return busy.isEmpty() ? null : take(busy.get(rnd.nextInt(busy.size())));
  }

  /** The next message to {@code to} from a random deliverable link, or null when none is queued for it. */
  Delivery nextTo(long to, Random rnd) {
    List<Long> busy = deliverable().stream().filter(link -> link % 1000 == to).toList();
    return busy.isEmpty() ? null : take(busy.get(rnd.nextInt(busy.size())));
  }

  private Delivery take(long link) {
    return new Delivery(link / 1000, link % 1000, links.get(link).poll());
  }

  /** Takes the head of one link whatever its state (tests delivering by hand). */
  Message poll(long from, long to) {
    return links.get(key(from, to)).poll();
  }

  List<Message> queued(long from, long to) {
    return List.copyOf(links.getOrDefault(key(from, to), new ArrayDeque<>()));
  }

  /** Removes the queued messages of one link into {@code into}. */
  void drain(long from, long to, List<Message> into) {
    ArrayDeque<Message> q = links.get(key(from, to));
    if (q != null) {
      into.addAll(q);
      q.clear();
    }
  }

  @Override
  public String toString() {
    return "cut=" + cut + " stalled=" + stalled + " paused=" + paused;
  }
}
