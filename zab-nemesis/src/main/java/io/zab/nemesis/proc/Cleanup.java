package io.zab.nemesis.proc;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;

/**
 * What must be undone when a run ends, however it ends: actions run last-registered first, each once, even if
 * an earlier one failed. Called from the run's {@code finally} and from a JVM shutdown hook (Ctrl-C, SIGTERM),
 * whichever comes first; the other call finds nothing left to do and returns once the first has finished.
 */
public final class Cleanup {
  /** One undo step; returns what it could not undo (empty: all done). */
  public interface Action extends Supplier<List<String>> {}

  private record Named(String what, Action action) {}

  private final Deque<Named> actions = new ArrayDeque<>();

  public synchronized void register(String what, Action action) {
    actions.push(new Named(what, action));
  }

  /** Runs every registered action once; returns the problems met (empty when everything was undone). */
  public synchronized List<String> runAll() {
    List<String> problems = new ArrayList<>();
    while (!actions.isEmpty()) {
      Named n = actions.pop();
      try {
        for (String p : n.action().get()) {
          problems.add(n.what() + ": " + p);
        }
      } catch (RuntimeException e) {
        problems.add(n.what() + ": " + e);
      }
    }
    return problems;
  }

  public synchronized boolean done() {
    return actions.isEmpty();
  }
}
