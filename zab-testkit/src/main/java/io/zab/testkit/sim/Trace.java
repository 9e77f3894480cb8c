package io.zab.testkit.sim;

import io.zab.protocol.Action;
import io.zab.protocol.Event;
import io.zab.wire.Message;

/**
 * The run's fingerprint and its last steps. Every event a server handles and every action it returns is
 * folded into a hash (two runs of one seed must produce the same hash); the last {@code capacity} are kept
 * to print a readable trace when a check fails. Entries are formatted only when printed.
 */
@SuppressWarnings("exports") // drives the pure protocol core: names its Action/Event/Timing types (see module-info)
public final class Trace {
  private record Entry(long time, long server, boolean action, Object what) {}

  /**
   * Told about every step as it is recorded, with the event, action or note itself (a timeline keeps what
   * it needs from them; the trace keeps only the last steps).
   */
  @FunctionalInterface
  public interface Observer {
    /**
     * Called as a step is recorded.
     *
     * @param timeMicros the simulated time of the step
     * @param server the server that handled the event or returned the action; 0 for a simulator note
     * @param what an {@code io.zab.protocol.Event}, an {@code io.zab.protocol.Action}, or a note ({@code String})
     */
    void step(long timeMicros, long server, Object what);
  }

  private final Entry[] ring;
  private final java.util.List<Observer> observers = new java.util.ArrayList<>();
  private int next;
  private long count;
  private long hash = 1125899906842597L;

  /**
   * An empty trace.
   *
   * @param capacity how many of the last steps it keeps
   */
  public Trace(int capacity) {
    ring = new Entry[capacity];
  }

  /**
   * Records an event a server handles.
   *
   * @param time the simulated time, in microseconds
   * @param server the server's id
   * @param e the event
   */
  public void event(long time, long server, Event e) {
    add(new Entry(time, server, false, e), fingerprint(e));
  }

  /**
   * Records an action a server's core returned.
   *
   * @param time the simulated time, in microseconds
   * @param server the server's id
   * @param a the action
   */
  public void action(long time, long server, Action a) {
    add(new Entry(time, server, true, a), fingerprint(a));
  }

  /**
   * A simulator-level step (fault injected, client op), kept in the trace and the hash.
   *
   * @param time the simulated time, in microseconds
   * @param text what happened
   */
  public void note(long time, String text) {
    add(new Entry(time, 0, false, text), text.hashCode());
  }

  /**
   * Adds an observer of every later step.
   *
   * @param o the observer
   */
  public void observe(Observer o) {
    observers.add(java.util.Objects.requireNonNull(o, "observer"));
  }

  private void add(Entry e, long print) {
    for (Observer o : observers) {
      o.step(e.time, e.server, e.what);
    }
    ring[next] = e;
    next = (next + 1) % ring.length;
    count++;
    hash = mix(mix(mix(hash, e.time), e.server), print);
  }

  private static long mix(long h, long v) {
    h ^= v + 0x9E3779B97F4A7C15L + (h << 6) + (h >>> 2);
    return h * 0xBF58476D1CE4E5B9L;
  }

  private static long fingerprint(Event e) {
    long base = e.getClass().getSimpleName().hashCode();
    if (e instanceof Event.Received r) {
      return mix(mix(base, r.from()), r.message().getClass().getSimpleName().hashCode());
    } else if (e instanceof Event.Persisted p) {
      return mix(base, p.zxid().value());
    } else if (e instanceof Event.PeerConnected p) {
      return mix(base, p.peer());
    } else if (e instanceof Event.PeerDisconnected p) {
      return mix(base, p.peer());
    } else if (e instanceof Event.Submit s) {
      return mix(base, s.requestId());
    } else if (e instanceof Event.ReadBarrier r) {
      return mix(base, r.requestId());
    }
    return base;
  }

  private static long fingerprint(Action a) {
    long base = a.getClass().getSimpleName().hashCode();
    if (a instanceof Action.Send s) {
      return mix(mix(base, s.to()), s.message().getClass().getSimpleName().hashCode());
    } else if (a instanceof Action.Deliver d && !d.txns().isEmpty()) {
      return mix(base, d.txns().get(d.txns().size() - 1).zxid().value());
    } else if (a instanceof Action.Append ap && !ap.txns().isEmpty()) {
      return mix(base, ap.txns().get(ap.txns().size() - 1).zxid().value());
    } else if (a instanceof Action.Complete c) {
      return mix(mix(base, c.requestId()), c.zxid().value());
    } else if (a instanceof Action.RoleChanged r) {
      return mix(mix(base, r.role().ordinal()), mix(r.leader(), r.epoch()));
    }
    return base;
  }

  /**
   * The fingerprint of every step so far.
   *
   * @return the hash, equal for two runs of one seed
   */
  public long hash() {
    return hash;
  }

  /**
   * Steps recorded so far.
   *
   * @return the number of steps, including those no longer kept
   */
  public long count() {
    return count;
  }

  /**
   * The last steps (at most {@code max}), one per line: time in seconds, server, and the event ({@code <-})
   * or action ({@code ->}). Heartbeats (PING) are left out: they bury the steps that matter. With
   * {@code server} > 0 only that server's steps (and the simulator's) are shown.
   *
   * @param max the most lines
   * @param server the only server whose steps are shown, or 0 for all
   * @return the lines, each ending with a newline
   */
  public String lastSteps(int max, long server) {
    int n = (int) Math.min(count, ring.length);
    java.util.ArrayDeque<String> lines = new java.util.ArrayDeque<>();
    for (int i = n - 1; i >= 0 && lines.size() < max; i--) {
      Entry e = ring[(int) ((next - n + i + (long) ring.length) % ring.length)];
      if (isPing(e.what) || (server > 0 && e.server != 0 && e.server != server)) {
        continue;
      }
      StringBuilder sb = new StringBuilder(String.format("  %10.6fs ", e.time / 1e6));
      if (e.server == 0) {
        sb.append("sim  ").append(e.what);
      } else {
        sb.append('s').append(e.server).append(e.action ? " -> " : " <- ").append(e.what);
      }
      lines.addFirst(sb.toString());
    }
    return String.join("\n", lines) + "\n";
  }

  private static boolean isPing(Object what) {
    return (what instanceof Event.Received r && r.message() instanceof Message.Ping)
        || (what instanceof Action.Send s && s.message() instanceof Message.Ping);
  }
}
