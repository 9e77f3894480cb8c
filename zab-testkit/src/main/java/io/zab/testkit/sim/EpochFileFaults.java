package io.zab.testkit.sim;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Lost, damaged and stale epoch files, applied to a server when it crashes (the moment a lost rename or a
 * restored old file shows): one copy lost, damaged or reverted to epochs saved earlier, which the start repairs
 * from the other copy; or both copies lost, or both reverted below the epoch of the log, which makes the start
 * refuse (as the runtime does) and the server stay down. A refused server stands for one an operator has not
 * repaired yet: modelling the repair (wiping it and resyncing) is not safe in general without a recovery the
 * protocol vouches for, so it is left out. At most a minority of the servers is ever made to refuse, so the
 * rest can still recover and the liveness check stays meaningful.
 *
 * <p>Not modelled: both copies reverted to epochs that are still consistent with the log. No start can tell
 * that from the truth (it is a disk losing two fsynced renames), and such a server does forget a promise.
 */
final class EpochFileFaults {
  /** Chance (in percent) that a crash also hits the crashed server's epoch files. */
  private static final int PERCENT_OF_CRASHES = 25;

  private final Simulation sim;
  private final SplittableRandom random;
  private final Set<Long> refusing = new HashSet<>();
  private final boolean refusals;

  /** @param refusals whether faults that make a start refuse may be injected at all */
  EpochFileFaults(Simulation sim, boolean refusals) {
    this.sim = sim;
    this.random = sim.random();
    this.refusals = refusals;
  }

  /**
   * Whether {@code id} may become faulty too (made to refuse here, or its log damaged by {@link LogDamageFaults}):
   * with the servers made to refuse and the other servers repairing, the faulty ones stay a minority.
   */
  boolean mayAddFaulty(long id) {
    long repairing = sim.servers().stream().filter(s -> s.id() != id && s.disk().repairing() != null).count();
    return refusing.size() + repairing < (sim.servers().size() - 1) / 2;
  }

  /** Whether {@code id}'s start was made to refuse (it stays down for the rest of the run). */
  boolean refusing(long id) {
    return refusing.contains(id);
  }

  /** Called right after {@code id} crashed. */
  void maybeHit(long id) {
    if (random.nextInt(100) >= PERCENT_OF_CRASHES) {
      return;
    }
    SimDisk disk = sim.server(id).disk();
    int copy = random.nextInt(2);
    int kind = random.nextInt(100);
    boolean mayRefuse = refusals && mayAddFaulty(id);
    List<SimDisk.SavedEpochs> saved = disk.savedEpochs();
    if (kind < 35 || (kind < 75 && saved.isEmpty())) {
      disk.loseEpochCopy(copy);
      note(id, "epoch file copy " + copy + " lost");
    } else if (kind < 55) {
      disk.damageEpochCopy(copy);
      note(id, "epoch file copy " + copy + " damaged");
    } else if (kind < 75) {
      SimDisk.SavedEpochs old = saved.get(random.nextInt(saved.size()));
      disk.revertEpochCopy(copy, old);
      note(id, "epoch file copy " + copy + " reverted to " + old);
    } else if (mayRefuse && kind < 88) {
      disk.loseEpochCopy(0);
      disk.loseEpochCopy(1);
      refusing.add(id);
      note(id, "both epoch file copies lost");
    } else if (mayRefuse) {
      revertBothBelowTheLog(id, disk);
    }
  }

  private void revertBothBelowTheLog(long id, SimDisk disk) {
    long logEpoch = disk.durableLastZxid().epoch();
    List<SimDisk.SavedEpochs> stale = disk.savedEpochs().stream().filter(e -> e.acceptedEpoch() < logEpoch).toList();
    if (stale.isEmpty()) {
      return;
    }
    SimDisk.SavedEpochs old = stale.get(random.nextInt(stale.size()));
    disk.revertEpochCopy(0, old);
    disk.revertEpochCopy(1, old);
    refusing.add(id);
    note(id, "both epoch file copies reverted to " + old + ", older than the log's " + disk.durableLastZxid());
  }

  private void note(long id, String what) {
    sim.faultInjected("s" + id + ": " + what);
  }
}
