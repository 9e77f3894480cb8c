package io.zab.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.Zxid;
import io.zab.protocol.Action.Complete;
import io.zab.wire.Txn;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded fault runs of the pure core (crashes with unsynced writes lost, partitions, slow fsyncs, snapshots,
 * writes everywhere). The harness checks after every step that deliveries agree and that each epoch has at
 * most one established leader; at the end every acknowledged write must be delivered everywhere.
 */
class RandomizedClusterTest {

  /** Seeds 1..N; N from -Dzab.core.seeds (default 40) for longer hunts. */
  static java.util.stream.LongStream seeds() {
    Long only = Long.getLong("zab.core.seed");
    return only != null ? java.util.stream.LongStream.of(only)
        : java.util.stream.LongStream.rangeClosed(1, Long.getLong("zab.core.seeds", 40));
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void acknowledgedWritesSurviveFaults(long seed) {
    Random rnd = new Random(seed);
    int n = new int[] {3, 5, 3, 5, 7}[(int) (seed % 5)];
    CoreCluster c = new CoreCluster(n);
    if (seed % 4 == 1) {
      c.withLimits(1024, 1000, 100, 4096, 3072); // 4 KiB frames, a 3 KiB window: flow control pauses and resumes
    }
    if (seed % 3 != 0) {
      c.lazyNetwork = new Random(seed * 31); // messages stay in flight across ticks, crashes and partitions
    }
    if (seed % 2 == 0) {
      c.batching = new Random(seed * 17); // deliveries in random-size handleAll batches, as the runtime drains
    }
    c.startAll();
    Map<String, String> submitted = new HashMap<>(); // "sid/requestId" -> payload
    Set<String> barriers = new HashSet<>();
    Set<Long> down = new HashSet<>();
    long nextId = 1;
    for (int step = 0; step < 600; step++) {
      long sid = 1 + rnd.nextInt(n);
      int op = rnd.nextInt(100);
      if (op < 30 && !down.contains(sid)) {
        String data = "s" + seed + "-" + step;
        submitted.put(sid + "/" + nextId, data);
        c.submit(sid, nextId++, data);
      } else if (op < 33 && !down.contains(sid)) {
        barriers.add(sid + "/" + nextId);
        c.step(sid, new Event.ReadBarrier(nextId++));
        c.run();
      } else if (op < 38 && !down.contains(sid) && down.size() < (n - 1) / 2) {
        c.crash(sid);
        down.add(sid);
      } else if (op < 44 && down.contains(sid)) {
        c.restart(sid);
        down.remove(sid);
      } else if (op < 47) {
        Set<Long> group = new HashSet<>();
        for (long s = 1; s <= n; s++) {
          if (rnd.nextBoolean()) {
            group.add(s);
          }
        }
        if (rnd.nextBoolean()) {
          c.partition(group);
        } else {
          c.partitionSilently(group);
        }
      } else if (op < 51) {
        c.heal();
      } else if (op < 55) {
        c.manualPersist(sid, rnd.nextBoolean());
      } else if (op < 60 && !down.contains(sid)) {
        c.persist(sid);
        c.run();
      } else if (op < 62 && !down.contains(sid)) {
        SimDisk disk = c.disk(sid);
        int upTo = disk.durableCount() + rnd.nextInt(disk.log().size() - disk.durableCount() + 1);
        c.step(sid, new Event.Persisted(disk.fsyncPrefix(upTo)));
        c.run();
      } else if (op < 66 && !down.contains(sid)) { // a burst of large writes on one server, in one batch
        List<Event> burst = new ArrayList<>();
        for (int i = 5 + rnd.nextInt(16); i > 0; i--) {
          String data = "b" + seed + "-" + step + "-" + i + "-" + "x".repeat(200 + rnd.nextInt(800));
          submitted.put(sid + "/" + nextId, data);
          burst.add(new Event.Submit(nextId++, data.getBytes()));
        }
        c.batch(sid, burst);
      } else if (op < 68 && !down.contains(sid)) {
        Zxid applied = c.peer(sid).committedZxid();
        c.step(sid, new Event.SnapshotTaken(applied));
        c.disk(sid).snapshotTaken(Zxid.max(c.disk(sid).snapshotZxid(), applied));
      } else {
        c.tick();
      }
    }

    // heal everything and let the ensemble settle
    c.lazyNetwork = null;
    c.batching = null;
    c.heal();
    for (long sid : List.copyOf(down)) {
      c.restart(sid);
    }
    for (long sid = 1; sid <= n; sid++) {
      c.manualPersist(sid, false);
      c.persist(sid);
    }
    c.run();
    long[] all = java.util.stream.LongStream.rangeClosed(1, n).toArray();
    c.tickUntil(() -> c.allEstablished(all) && c.leaders().size() == 1, 800);
    long leader = c.leaders().get(0);
    submitted.put(leader + "/" + nextId, "final");
    c.submit(leader, nextId, "final");
    c.ticks(5);
    long finalId = nextId;
    assertThat(c.answers.get(leader)).as("the settled ensemble commits a new write")
        .anyMatch(a -> a instanceof Complete done && done.requestId() == finalId);

    List<Txn> reference = c.delivered.get(leader);
    for (long sid = 1; sid <= n; sid++) {
      assertThat(c.delivered.get(sid)).as("server %d delivered everything the leader did", sid).isEqualTo(reference);
    }
    Map<Zxid, String> byZxid = new HashMap<>();
    reference.forEach(t -> byZxid.put(t.zxid(), new String(t.data())));
    int acknowledged = 0;
    for (Map.Entry<Long, List<Action>> e : c.answers.entrySet()) {
      for (Action a : e.getValue()) {
        String key = e.getKey() + "/" + (a instanceof Complete done ? done.requestId() : -1);
        if (a instanceof Complete done && !barriers.contains(key) && submitted.containsKey(key)) {
          acknowledged++;
          assertThat(byZxid.get(done.zxid())).as("acknowledged write %s at %s", key, done.zxid())
              .isEqualTo(submitted.get(key));
        }
      }
    }
    assertThat(acknowledged).as("acknowledged writes checked").isPositive();
  }
}
