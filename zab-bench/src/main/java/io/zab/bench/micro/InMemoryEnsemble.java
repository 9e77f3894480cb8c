package io.zab.bench.micro;

import io.zab.Role;
import io.zab.protocol.Action;
import io.zab.protocol.Event;
import io.zab.protocol.Peer;
import io.zab.protocol.PeerConfig;
import io.zab.protocol.PersistentState;
import io.zab.wire.Txn;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Pure peers wired together in memory, in one thread, to get an established leader for the step
 * benchmark: messages are delivered FIFO, every Append is "persisted" at once, epoch saves are taken as
 * durable, and the clock ticks whenever nothing else is pending. Bounded: gives up after a fixed number
 * of steps.
 */
final class InMemoryEnsemble {

  private record Pending(long to, Event event) {}

  private static final int MAX_STEPS = 1_000_000;

  final Map<Long, Peer> peers = new TreeMap<>();
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();

  InMemoryEnsemble(int size) {
    Set<Long> voters = new java.util.TreeSet<>();
    for (long id = 1; id <= size; id++) {
      voters.add(id);
    }
    for (long id : voters) {
      peers.put(id, new Peer(PeerConfig.of(id, voters), PersistentState.empty()));
    }
  }

  /** Starts every peer, connects them all, and runs until one leads an established epoch. */
  Peer electLeader() {
    for (long id : peers.keySet()) {
      queue.add(new Pending(id, new Event.Start()));
    }
    for (long a : peers.keySet()) {
      for (long b : peers.keySet()) {
        if (a != b) {
          queue.add(new Pending(a, new Event.PeerConnected(b)));
        }
      }
    }
    for (int step = 0; step < MAX_STEPS; step++) {
      Peer leader = establishedLeader();
      if (leader != null && queue.isEmpty()) {
        return leader;
      }
      if (queue.isEmpty()) {
        for (long id : peers.keySet()) {
          queue.add(new Pending(id, new Event.Tick()));
        }
      }
      Pending next = queue.poll();
      route(next.to(), peers.get(next.to()).handle(next.event()));
    }
    throw new IllegalStateException("no established leader after " + MAX_STEPS + " steps");
  }

  private Peer establishedLeader() {
    Peer leader = null;
    int followers = 0;
    for (Peer p : peers.values()) {
      if (p.role() == Role.LEADING && p.established()) {
        leader = p;
      } else if (p.role() == Role.FOLLOWING) {
        followers++;
      }
    }
    return leader != null && followers == peers.size() - 1 ? leader : null;
  }

  private void route(long self, List<Action> actions) {
    for (Action a : actions) {
      if (a instanceof Action.Send s) {
        queue.add(new Pending(s.to(), new Event.Received(self, s.message())));
      } else if (a instanceof Action.Append ap && !ap.txns().isEmpty()) {
        Txn last = ap.txns().get(ap.txns().size() - 1);
        queue.add(new Pending(self, new Event.Persisted(last.zxid())));
      }
      // epoch saves are durable as soon as they are returned; deliveries and role changes need nothing
    }
  }
}
