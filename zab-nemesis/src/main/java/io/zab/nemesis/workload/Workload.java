package io.zab.nemesis.workload;

import io.zab.examples.client.KvClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Concurrent clients, each bound to one node (so every node serves clients): linearizable reads, puts of
 * unique values and compare-and-sets on a few register keys, and once-only puts to keys of their own. Every
 * operation is recorded in the {@link History} with its call and return times and classified outcome.
 */
public final class Workload {
  /** Shares of the operation kinds: reads, puts, compare-and-sets; the rest are set adds. */
  private static final double READS = 0.30;
  private static final double PUTS = 0.25;
  private static final double CASES = 0.25;

  private final List<KvClient> nodes;
  private final History history;
  private final KeySpace keys;
  private final RunClock clock;
  private final int clientsPerNode;
  private final long thinkMillisMax;
  private final SplittableRandom random;
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running;

  /**
   * @param nodes a client per node (index i: server i + 1)
   * @param thinkMillisMax each client waits 0..this between operations
   */
  public Workload(List<KvClient> nodes, History history, KeySpace keys, RunClock clock, int clientsPerNode,
      long thinkMillisMax, SplittableRandom random) {
    this.nodes = List.copyOf(nodes);
    this.history = history;
    this.keys = keys;
    this.clock = clock;
    this.clientsPerNode = clientsPerNode;
    this.thinkMillisMax = thinkMillisMax;
    this.random = random;
  }

  public synchronized void start() {
    running = true;
    int n = 0;
    for (int c = 0; c < clientsPerNode; c++) {
      for (int node = 1; node <= nodes.size(); node++) {
        String name = "c" + (++n);
        Thread t = new Thread(new Client(name, node, nodes.get(node - 1), random.split()), "workload-" + name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
      }
    }
  }

  /** Stops issuing operations and waits for those in flight (at most {@code patienceMillis}). */
  public synchronized void stop(long patienceMillis) throws InterruptedException {
    running = false;
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(patienceMillis);
    for (Thread t : threads) {
      t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
    }
  }

  /** Runs one operation and records it; the same path the clients take (the self-test uses it too). */
  public static Op execute(History history, RunClock clock, String client, int node, KvClient kv, OpKind kind,
      String key, String value, String expected) {
    long call = clock.micros();
    Classifier.Classified c;
    try {
      KvClient.Response r = switch (kind) {
        case READ -> kv.get(key, true);
        case PUT, ADD -> kv.put(key, value);
        case CAS -> kv.cas(key, expected, value);
      };
      c = Classifier.reply(kind, r);
    } catch (RuntimeException e) {
      c = Classifier.failure(e);
    }
    Op op = new Op(history.nextId(), client, node, kind, key, value, kind == OpKind.CAS ? expected : null, call,
        clock.returnAfter(call), c.outcome(), c.observed());
    history.add(op);
    return op;
  }

  private final class Client implements Runnable {
    private final String name;
    private final int node;
    private final KvClient kv;
    private final SplittableRandom rnd;
    /** The value this client last saw per key: what its compare-and-sets expect. */
    private final Map<String, String> lastSeen = new HashMap<>();
    private long seq;

    Client(String name, int node, KvClient kv, SplittableRandom rnd) {
      this.name = name;
      this.node = node;
      this.kv = kv;
      this.rnd = rnd;
    }

    @Override
    public void run() {
      while (running) {
        double dice = rnd.nextDouble();
        OpKind kind = dice < READS ? OpKind.READ : dice < READS + PUTS ? OpKind.PUT
            : dice < READS + PUTS + CASES ? OpKind.CAS : OpKind.ADD;
        long n = ++seq;
        String key = kind == OpKind.ADD ? KeySpace.setKey(name, n)
            : keys.register(clock.micros(), rnd.nextInt(keys.registersPerGeneration()));
        String value = kind == OpKind.READ ? null : name + "." + n;
        Op op = execute(history, clock, name, node, kv, kind, key, value, lastSeen.get(key));
        remember(op);
        long pause = op.outcome() == Outcome.FAIL ? 50 + rnd.nextLong(50) : rnd.nextLong(thinkMillisMax + 1);
        if (pause > 0) {
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pause));
        }
      }
    }

    private void remember(Op op) {
      if (op.outcome() == Outcome.OK) {
        if (op.kind() == OpKind.READ) {
          lastSeen.put(op.key(), op.observed());
        } else if (op.kind() != OpKind.ADD) {
          lastSeen.put(op.key(), op.value());
        }
      } else if (op.outcome() == Outcome.MISMATCH) {
        lastSeen.put(op.key(), op.observed());
      }
    }
  }
}
