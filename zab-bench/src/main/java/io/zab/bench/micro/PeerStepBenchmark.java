package io.zab.bench.micro;

import io.zab.Zxid;
import io.zab.protocol.Action;
import io.zab.protocol.Event;
import io.zab.protocol.Peer;
import io.zab.wire.Message;
import io.zab.wire.Txn;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Throughput of the pure protocol core on the leader's hot path, no I/O: per round, a round of Submit
 * events (coalesced into one Append and one Proposal per follower; 1 or 64 per round), then Persisted for the last zxid (the
 * leader's own fsync), then one follower's cumulative Ack (which makes a quorum of 2 of 3 and commits the
 * round). The score is txns per second through the core. The leader comes from a real election among
 * three in-memory peers. Run: {@code java -cp <zab-bench classpath> org.openjdk.jmh.Main PeerStepBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PeerStepBenchmark {

  /** The core holds committed txns in memory until a snapshot; trim that often to keep memory flat. */
  private static final int ROUNDS_PER_SNAPSHOT = 256;

  @Param({"1024"})
  int payloadBytes;

  private Peer leader;
  private long follower;
  private byte[] payload;
  private long nextRequest;
  private int rounds;

  @Setup(Level.Trial)
  public void setUp() {
    InMemoryEnsemble ensemble = new InMemoryEnsemble(3);
    leader = ensemble.electLeader();
    long leaderId = leader.leader();
    follower = ensemble.peers.keySet().stream().filter(id -> id != leaderId).findFirst().orElseThrow();
    payload = new byte[payloadBytes];
    new Random(3).nextBytes(payload);
  }

  /** One submit per round: every txn pays for its own proposal, fsync report and ack. */
  @Benchmark
  public List<Action> roundOf1(Blackhole bh) {
    return round(bh, 1);
  }

  /** 64 submits per round, as under load: they share one Append, one Proposal per follower, one Ack. */
  @Benchmark
  @OperationsPerInvocation(64)
  public List<Action> roundOf64(Blackhole bh) {
    return round(bh, 64);
  }

  /** Runs one round; returns the actions of the Ack that commits it (Deliver, Complete, Commit sends). */
  List<Action> round(Blackhole bh, int batch) {
    List<Event> submits = new ArrayList<>(batch);
    for (int i = 0; i < batch; i++) {
      submits.add(new Event.Submit(nextRequest++, payload));
    }
    List<Action> proposed = leader.handleAll(submits);
    Zxid last = lastAppended(proposed);
    bh.consume(proposed);
    bh.consume(leader.handle(new Event.Persisted(last)));
    List<Action> committed = leader.handle(new Event.Received(follower, new Message.Ack(last)));
    if (++rounds % ROUNDS_PER_SNAPSHOT == 0) {
      bh.consume(leader.handle(new Event.SnapshotTaken(last)));
    }
    return committed;
  }

  private static Zxid lastAppended(List<Action> actions) {
    for (int i = actions.size() - 1; i >= 0; i--) {
      if (actions.get(i) instanceof Action.Append a && !a.txns().isEmpty()) {
        List<Txn> txns = a.txns();
        return txns.get(txns.size() - 1).zxid();
      }
    }
    throw new IllegalStateException("the leader did not append the submitted txns: " + actions);
  }
}
