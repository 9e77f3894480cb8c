package io.zab.testkit.sim;

import java.util.SplittableRandom;
import java.util.function.LongPredicate;

/**
 * A bit flipped in the middle of a crashed server's log, found when it starts again (as the runtime finds it: a
 * record failing its checksum with valid ones after it). The start repairs it as the runtime's recovery does
 * ({@link SimDisk#damageLog}): the log keeps a random prefix of its durable txns, the rest is set aside, and the
 * repairing marker keeps the server from voting until a leader elected by the others has synced it
 * (docs/protocol.md, repair).
 *
 * <p>The safety argument allows at most a minority of faulty servers, counting repairing ones and the servers whose
 * start {@link EpochFileFaults} made refuse; a server is damaged only within that budget. More would not make a
 * violation (the rest cannot elect anyone), only a cluster that waits for an operator, which the liveness check
 * after healing would report.
 */
final class LogDamageFaults {
  /** Chance (in percent) that a crash also damages the crashed server's log. */
  private static final int PERCENT_OF_CRASHES = 20;

  private final Simulation sim;
  private final SplittableRandom random;
  /** Whether a server may become faulty within the fault budget ({@link EpochFileFaults#mayAddFaulty}). */
  private final LongPredicate mayAddFaulty;

  LogDamageFaults(Simulation sim, LongPredicate mayAddFaulty) {
    this.sim = sim;
    this.random = sim.random();
    this.mayAddFaulty = mayAddFaulty;
  }

  /** Called right after {@code id} crashed. */
  void maybeHit(long id) {
    SimDisk disk = sim.server(id).disk();
    if (random.nextInt(100) >= PERCENT_OF_CRASHES || disk.durableTxns() == 0) {
      return;
    }
    if (!mayAddFaulty.test(id)) {
      return;
    }
    int keep = random.nextInt(disk.durableTxns());
    disk.damageLog(keep);
    sim.logDamaged("s" + id + ": log damaged in the middle, kept " + keep + " txns, " + disk.repairing());
  }
}
