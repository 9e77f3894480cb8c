package io.zab.testkit.sim;

import io.zab.testkit.lin.KvOp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Clients, one or more per server, each issuing one operation at a time against the key-value model:
 * puts of unique values, and reads (a read barrier then a local read). Every operation is recorded with
 * its call and return on one logical clock for the linearizability checker; a write whose server crashed
 * or that was rejected with OUTCOME_UNKNOWN has unknown outcome; requests rejected as not proposed are
 * left out (they never happened).
 */
public final class KvWorkload {
  private final Simulation sim;
  private final int keys;
  private final double writeRatio;
  private final long minThinkMicros;
  private final long maxThinkMicros;
  private final ReadMode readMode;
  private final List<KvOp> history = new ArrayList<>();
  /** Writes submitted and not answered yet, by op id: if the history is cut now, their outcome is unknown. */
  private final Map<Long, KvOp> writesInFlight = new java.util.LinkedHashMap<>();
  private final Map<Long, Long> answeredAtMicros = new HashMap<>();
  private long clock;
  private long nextOp;
  private boolean running;
  private long completed;
  private long rejected;
  private long unknown;
  private int inFlight;

  /**
   * A workload whose clients have not started yet: see {@link #start(int)}.
   *
   * @param sim the simulation to run in
   * @param keys how many keys the clients use ("k0", "k1", ...)
   * @param writeRatio the share of operations that are writes, 0 to 1
   * @param minThinkMicros shortest wait of a client between an answer and its next operation
   * @param maxThinkMicros longest such wait
   * @param readMode how clients read
   */
  public KvWorkload(Simulation sim, int keys, double writeRatio, long minThinkMicros, long maxThinkMicros, ReadMode readMode) {
    this.sim = sim;
    this.keys = keys;
    this.writeRatio = writeRatio;
    this.minThinkMicros = minThinkMicros;
    this.maxThinkMicros = maxThinkMicros;
    this.readMode = readMode;
  }

  /**
   * Starts {@code clientsPerServer} clients on every server.
   *
   * @param clientsPerServer how many clients each server gets
   */
  public void start(int clientsPerServer) {
    running = true;
    for (SimServer s : sim.servers()) {
      for (int c = 0; c < clientsPerServer; c++) {
        scheduleNext(s.id(), c);
      }
    }
  }

  /**
   * Besides the clients: every {@code minGapMicros}..{@code maxGapMicros} a burst of {@code minWrites}..{@code maxWrites}
   * puts, submitted at once on one server, each carrying a unique value of {@code minBytes}..{@code maxBytes}
   * (large writes; they go to keys of their own, "big0".."big3", so the client histories stay cheap to check).
   *
   * @param minGapMicros shortest time between two bursts
   * @param maxGapMicros longest time between two bursts
   * @param minWrites fewest writes in a burst
   * @param maxWrites most writes in a burst
   * @param minBytes smallest write
   * @param maxBytes largest write
   */
  public void startBursts(long minGapMicros, long maxGapMicros, int minWrites, int maxWrites, int minBytes, int maxBytes) {
    sim.scheduler().after(sim.random().nextLong(minGapMicros, maxGapMicros + 1), () -> {
      if (!running) {
        return;
      }
      long server = 1 + sim.random().nextInt(sim.servers().size());
      if (sim.server(server).alive()) {
        int n = sim.random().nextInt(minWrites, maxWrites + 1);
        for (int i = 0; i < n; i++) {
          burstWrite(server, sim.random().nextInt(minBytes, maxBytes + 1));
        }
      }
      startBursts(minGapMicros, maxGapMicros, minWrites, maxWrites, minBytes, maxBytes);
    });
  }

  private void burstWrite(long server, int bytes) {
    String key = "big" + sim.random().nextInt(4);
    long id = nextOp++;
    String tag = "s" + server + "b" + id + "#";
    String value = tag + "x".repeat(Math.max(0, bytes - tag.length() - key.length() - 1));
    long call = ++clock;
    writeStarted(server, id, key, value, call);
    sim.submit(server, KvStateMachine.put(key, value)).onDone(done -> recordWrite(done, server, id, key, value, call));
  }

  private void writeStarted(long server, long id, String key, String value, long call) {
    inFlight++;
    writesInFlight.put(id, KvOp.write(id, key, value, call, KvOp.UNKNOWN).by(label(server) + " (no answer yet)"));
  }

  /** Clients issue no new operations; those in flight still finish. */
  public void stop() {
    running = false;
  }

  /**
   * The client history so far. A write not answered yet counts as one of unknown outcome: it may already have taken
   * effect (a server applied it before its client heard back), so leaving it out would make a read of its value look
   * invented.
   *
   * @return a copy: finished operations in the order they finished, then the writes not answered yet
   */
  public List<KvOp> history() {
    List<KvOp> all = new ArrayList<>(history);
    all.addAll(writesInFlight.values());
    return List.copyOf(all);
  }

  /**
   * Operations submitted and not answered yet (writes and reads).
   *
   * @return how many there are
   */
  public int inFlight() {
    return inFlight;
  }

  /**
   * The simulated time operation {@code opId} was answered at.
   *
   * @param opId the operation's id in the history
   * @return the time in microseconds, or null if it was not answered (or its outcome is unknown)
   */
  public Long answeredAtMicros(long opId) {
    return answeredAtMicros.get(opId);
  }

  /**
   * Operations that completed (writes acknowledged, reads done).
   *
   * @return how many so far
   */
  public long completed() {
    return completed;
  }

  /**
   * Operations that failed without effect (writes rejected as not proposed, reads that failed).
   *
   * @return how many so far
   */
  public long rejected() {
    return rejected;
  }

  /**
   * Writes of unknown outcome (their server went down, or they were rejected with OUTCOME_UNKNOWN).
   *
   * @return how many so far
   */
  public long unknown() {
    return unknown;
  }

  private void scheduleNext(long server, int client) {
    sim.scheduler().after(sim.random().nextLong(minThinkMicros, maxThinkMicros + 1), () -> issue(server, client));
  }

  /** After a rejection a client backs off for a while, as real clients do. */
  private void backOff(long server, int client) {
    sim.scheduler().after(sim.random().nextLong(50_000, 200_001), () -> issue(server, client));
  }

  private void record(KvOp op, long server) {
    history.add(op.by(label(server)));
    if (op.ret() != KvOp.UNKNOWN) {
      answeredAtMicros.put(op.id(), sim.now());
    }
  }

  private void issue(long server, int client) {
    if (!running) {
      return;
    }
    SimServer s = sim.server(server);
    if (!s.alive()) {
      scheduleNext(server, client);
      return;
    }
    String key = "k" + sim.random().nextInt(keys);
    long id = nextOp++;
    if (sim.random().nextDouble() < writeRatio) {
      write(server, client, id, key);
    } else {
      read(server, client, id, key);
    }
  }

  private void write(long server, int client, long id, String key) {
    String value = "s" + server + "c" + client + "n" + id;
    long call = ++clock;
    writeStarted(server, id, key, value, call);
    SimRequest r = sim.submit(server, KvStateMachine.put(key, value));
    r.onDone(done -> {
      recordWrite(done, server, id, key, value, call);
      if (done.status() == SimRequest.Status.COMPLETED) {
        scheduleNext(server, client);
      } else {
        backOff(server, client);
      }
    });
  }

  /** Records a write's outcome: done, unknown (may take effect late or never), or refused (it never happened). */
  private void recordWrite(SimRequest done, long server, long id, String key, String value, long call) {
    inFlight--;
    writesInFlight.remove(id);
    switch (done.status()) {
      case COMPLETED -> {
        completed++;
        record(KvOp.write(id, key, value, call, ++clock), server);
      }
      case LOST -> unknownWrite(server, id, key, value, call);
      case REJECTED -> {
        if (done.rejectCode() == io.zab.wire.Message.RejectCode.OUTCOME_UNKNOWN) {
          unknownWrite(server, id, key, value, call);
        } else {
          rejected++;
        }
      }
      default -> throw new IllegalStateException("unfinished request reported done: " + done);
    }
  }

  private void unknownWrite(long server, long id, String key, String value, long call) {
    unknown++;
    record(KvOp.write(id, key, value, call, KvOp.UNKNOWN), server);
  }

  private void read(long server, int client, long id, String key) {
    long call = ++clock;
    if (readMode == ReadMode.LOCAL_WITHOUT_BARRIER) {
      record(KvOp.read(id, key, kv(server).get(key), call, ++clock), server);
      completed++;
      scheduleNext(server, client);
      return;
    }
    SimRequest r = sim.readBarrier(server);
    inFlight++;
    r.onDone(done -> {
      inFlight--;
      if (done.status() == SimRequest.Status.COMPLETED) {
        completed++;
        record(KvOp.read(id, key, kv(server).get(key), call, ++clock), server);
        scheduleNext(server, client);
      } else {
        rejected++;
        backOff(server, client);
      }
    });
  }

  /** Which server answered, and when (simulated seconds), for reports. */
  private String label(long server) {
    return String.format("s%d@%.6fs", server, sim.now() / 1e6);
  }

  private KvStateMachine kv(long server) {
    return (KvStateMachine) sim.server(server).stateMachine();
  }
}
