package io.zab.nemesis.fault;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The seeded schedule of faults: the first rounds go through every kind once (in a seeded order), so
 * even a short run sees each; later rounds draw kinds by weight. The same seed gives the same schedule.
 */
public final class FaultPlanner {
  /** Larger than syncLimit (2 s with the default timing: 40 ticks of 50 ms), so a paused server is dropped. */
  static final long MIN_PAUSE_MILLIS = 2_500;
  /** Filler for the snapshot fault: 15 MiB, well past the 8 MiB a leader keeps in memory after a snapshot. */
  static final int FILLER_WRITES = 120;
  static final int FILLER_BYTES = 128 * 1024;

  private enum Kind {
    ISOLATE_LEADER(3), ISOLATE_FOLLOWER(3), BRIDGE(2), ALL_CUT(1), FLAP(2), KILL(2), PAUSE(2), SNAPSHOT(1),
    TRANSFER(1), MEMBERSHIP(1);

    final int weight;

    Kind(int weight) {
      this.weight = weight;
    }

    boolean membership() {
      return this == TRANSFER || this == MEMBERSHIP;
    }
  }

  private final SplittableRandom random;
  private final List<Kind> kinds;
  private final List<Kind> firstCycle;

  /** The schedule of {@code seed}, with membership faults (leadership transfers, remove and re-add). */
  public FaultPlanner(long seed) {
    this(seed, true);
  }

  /** The schedule of {@code seed}; without {@code membership}, only network and process faults. */
  public FaultPlanner(long seed, boolean membership) {
    this.random = new SplittableRandom(seed);
    this.kinds = java.util.Arrays.stream(Kind.values()).filter(k -> membership || !k.membership()).toList();
    this.firstCycle = new ArrayList<>(kinds);
    for (int i = firstCycle.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      Kind t = firstCycle.get(i);
      firstCycle.set(i, firstCycle.get(j));
      firstCycle.set(j, t);
    }
  }

  public Fault next() {
    Kind kind = firstCycle.isEmpty() ? weighted() : firstCycle.remove(0);
    return switch (kind) {
      case ISOLATE_LEADER -> partition(Shape.ISOLATE_LEADER);
      case ISOLATE_FOLLOWER -> partition(Shape.ISOLATE_FOLLOWER);
      case BRIDGE -> partition(Shape.BRIDGE);
      case ALL_CUT -> partition(Shape.ALL_CUT);
      case FLAP -> flap();
      case KILL -> new Fault.Kill(random.nextBoolean(), random.nextInt(16), between(300, 3_000));
      case PAUSE -> new Fault.Pause(random.nextBoolean(), random.nextInt(16), between(MIN_PAUSE_MILLIS, 5_000));
      case SNAPSHOT -> new Fault.SnapshotCatchUp(random.nextInt(16), FILLER_WRITES, FILLER_BYTES);
      case TRANSFER -> new Fault.TransferLeader(random.nextInt(16));
      case MEMBERSHIP -> new Fault.RemoveAndAdd(random.nextInt(16), between(500, 3_000));
    };
  }

  private Kind weighted() {
    int total = kinds.stream().mapToInt(k -> k.weight).sum();
    int r = random.nextInt(total);
    for (Kind k : kinds) {
      r -= k.weight;
      if (r < 0) {
        return k;
      }
    }
    throw new AssertionError("weights");
  }

  /** Some holds end before syncLimit (no election), most after it. */
  private Fault.Partition partition(Shape shape) {
    return new Fault.Partition(shape, random.nextInt(16), between(800, 4_500));
  }

  private Fault.Flap flap() {
    int n = 3 + random.nextInt(4);
    List<Fault.Partition> steps = new ArrayList<>();
    List<Long> gaps = new ArrayList<>();
    Shape[] shapes = Shape.values();
    for (int i = 0; i < n; i++) {
      steps.add(new Fault.Partition(shapes[random.nextInt(shapes.length)], random.nextInt(16), between(400, 1_200)));
      gaps.add(random.nextInt(3) == 0 ? 0L : between(100, 600));
    }
    return new Fault.Flap(steps, gaps);
  }

  private long between(long lo, long hi) {
    return lo + random.nextLong(hi - lo + 1);
  }
}
