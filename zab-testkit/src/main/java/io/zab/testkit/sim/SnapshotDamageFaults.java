package io.zab.testkit.sim;

import java.util.SplittableRandom;

/**
 * A crashed server's newest snapshot found damaged when it starts again (it fails its checksum): the start sets it
 * aside and restores the newest older snapshot, and, since the log was compacted up to the damaged one, sets the
 * whole log aside and marks the server repairing, as the runtime's recovery does ({@link SimDisk#damageNewestSnapshot}).
 * Within the same fault budget as {@link LogDamageFaults}: a minority of faulty servers.
 *
 * <p>Its chance is drawn from a random source of its own, seeded from the run's seed, so that a run in which it never
 * hits is event for event the run the seed gave before this fault existed (seeds named in tests and docs keep their
 * story); a run it hits diverges from there, deterministically.
 */
final class SnapshotDamageFaults {
  /** Chance (in percent) that a crash also damages the crashed server's newest snapshot. */
  private static final int PERCENT_OF_CRASHES = 10;
  /** Mixed into the seed for this fault's own random source. */
  private static final long STREAM = 0x5AB5_D0C7_15EE_D5EDL;

  private final Simulation sim;
  private final SplittableRandom random;
  private final EpochFileFaults epochFaults;

  /** @param epochFaults the fault budget ({@link EpochFileFaults#mayAddFaulty}) and the servers made to refuse */
  SnapshotDamageFaults(Simulation sim, EpochFileFaults epochFaults) {
    this.sim = sim;
    this.random = new SplittableRandom(sim.config().seed() ^ STREAM);
    this.epochFaults = epochFaults;
  }

  /** Called right after {@code id} crashed (and after the other faults of a crash hit it). */
  void maybeHit(long id) {
    if (random.nextInt(100) >= PERCENT_OF_CRASHES || epochFaults.refusing(id) || !epochFaults.mayAddFaulty(id)) {
      return; // a server that never starts again would not find the damage
    }
    SimDisk disk = sim.server(id).disk();
    String damaged = disk.snapshotZxid().toString();
    if (disk.damageNewestSnapshot()) {
      sim.snapshotDamaged("s" + id + ": newest snapshot " + damaged + " damaged, restarts from the snapshot at "
          + disk.snapshotZxid() + " with its log set aside, " + disk.repairing());
    }
  }
}
