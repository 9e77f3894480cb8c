package io.zab.nemesis.fault;

import java.util.List;

/**
 * One planned fault episode. Targets are relative ("the leader", "the second follower"), resolved against the
 * cluster when the fault starts, so a seed replays the same kinds of faults in the same order even though
 * which server leads differs between runs.
 *
 * <p>Extension point: a new kind is a record here, a weight in {@link FaultPlanner} and a case in
 * {@code FaultRunner}; the checks need no change, since they look only at client operations and at the servers'
 * final state. Membership faults ({@link TransferLeader}, {@link RemoveAndAdd}) go through the servers' HTTP API.
 */
public sealed interface Fault {
  /** A short kind name for the figures (isolate-leader, flap, kill, ...). */
  String kind();

  /** How many partition events this fault applies. */
  default int partitions() {
    return 0;
  }

  /** A partition of {@code shape}, held for {@code holdMillis} and then healed. */
  record Partition(Shape shape, int pick, long holdMillis) implements Fault {
    @Override
    public String kind() {
      return shape.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    @Override
    public int partitions() {
      return 1;
    }
  }

  /** Partitions one after another; {@code gapsMillis.get(i)} is the healed time after step i (0: none). */
  record Flap(List<Partition> steps, List<Long> gapsMillis) implements Fault {
    public Flap {
      steps = List.copyOf(steps);
      gapsMillis = List.copyOf(gapsMillis);
      if (steps.size() != gapsMillis.size() || steps.isEmpty()) {
        throw new IllegalArgumentException("a flap needs one gap per step and at least one step");
      }
    }

    @Override
    public String kind() {
      return "flap";
    }

    @Override
    public int partitions() {
      return steps.size();
    }
  }

  /** kill -9 of the leader or a follower, restarted from its data after {@code downMillis}. */
  record Kill(boolean leader, int pick, long downMillis) implements Fault {
    @Override
    public String kind() {
      return "kill";
    }
  }

  /** SIGSTOP of the leader or a follower for {@code stoppedMillis} (longer than syncLimit), then SIGCONT. */
  record Pause(boolean leader, int pick, long stoppedMillis) implements Fault {
    @Override
    public String kind() {
      return "pause";
    }
  }

  /**
   * A follower is cut off while the others take {@code fillerWrites} writes of {@code fillerBytes} each: more
   * than the leader keeps in memory after a snapshot, so on healing the follower must catch up by SNAP (S7).
   */
  record SnapshotCatchUp(int pick, int fillerWrites, int fillerBytes) implements Fault {
    @Override
    public String kind() {
      return "snapshot-catch-up";
    }

    @Override
    public int partitions() {
      return 1;
    }
  }

  /** Leadership moved to a follower ({@code POST /leader}) while the workload runs. */
  record TransferLeader(int pick) implements Fault {
    @Override
    public String kind() {
      return "transfer-leader";
    }
  }

  /**
   * A follower voter removed ({@code DELETE /members}) while its process keeps running, and added back as a voter
   * ({@code PUT /members}) after {@code outMillis}: it must catch up and converge with the others.
   */
  record RemoveAndAdd(int pick, long outMillis) implements Fault {
    @Override
    public String kind() {
      return "remove-add";
    }
  }
}
