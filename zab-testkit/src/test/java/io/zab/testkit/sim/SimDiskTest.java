package io.zab.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.Zxid;
import io.zab.protocol.RepairPoint;
import io.zab.wire.Message.SnapChunk;
import io.zab.wire.Txn;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SimDiskTest {
  private final Scheduler scheduler = new Scheduler();
  private final Violations violations = new Violations(scheduler::now);
  private final List<Zxid> persisted = new ArrayList<>();

  private SimDisk disk(DiskFaults faults, long seed) {
    SimDisk d = new SimDisk(1, scheduler, new SplittableRandom(seed), violations, 1_000, 1_000, faults, new byte[0]);
    d.onPersisted(persisted::add);
    return d;
  }

  private static Txn txn(long epoch, long counter) {
    return new Txn(Zxid.of(epoch, counter), ("t" + counter).getBytes());
  }

  @Test
  void appendsAreReportedPersistedOnlyAfterTheFsync_groupedPerFsync() {
    SimDisk d = disk(DiskFaults.CORRECT, 1);
    d.append(List.of(txn(1, 1)));
    d.append(List.of(txn(1, 2)));
    assertThat(persisted).isEmpty();
    scheduler.runNext(Long.MAX_VALUE);   // the first fsync covered only txn 1 (it started at the first append)
    assertThat(persisted).containsExactly(Zxid.of(1, 1));
    scheduler.runNext(Long.MAX_VALUE);
    assertThat(persisted).containsExactly(Zxid.of(1, 1), Zxid.of(1, 2));
    assertThat(d.durableState().logAfterSnapshot()).hasSize(2);
  }

  @Test
  void crashLosesUnsyncedAppends_keepsSyncedOnes_andEpochs() {
    SimDisk d = disk(DiskFaults.CORRECT, 1);
    d.saveAcceptedEpoch(2);
    d.saveCurrentEpoch(1);
    d.append(List.of(txn(1, 1)));
    scheduler.runNext(Long.MAX_VALUE);
    d.append(List.of(txn(1, 2), txn(1, 3)));
    d.crash();
    while (scheduler.runNext(Long.MAX_VALUE)) {
      // an fsync in flight at the crash never completes
    }
    DurableState s = d.durableState();
    assertThat(s.acceptedEpoch()).isEqualTo(2);
    assertThat(s.currentEpoch()).isEqualTo(1);
    assertThat(s.logAfterSnapshot()).startsWith(txn(1, 1)).hasSizeLessThanOrEqualTo(3);
    assertThat(persisted).containsExactly(Zxid.of(1, 1));
  }

  @Test
  void overManySeeds_aCrashLosesAllUnsyncedWritesMostOfTheTime() {
    int lostAll = 0;
    for (long seed = 0; seed < 100; seed++) {
      SimDisk d = disk(DiskFaults.CORRECT, seed);
      d.append(List.of(txn(1, 1), txn(1, 2), txn(1, 3)));
      d.crash();
      lostAll += d.durableState().logAfterSnapshot().isEmpty() ? 1 : 0;
    }
    assertThat(lostAll).isBetween(60, 99);
  }

  @Test
  void ackBeforeFsyncBug_reportsPersistedBeforeTheDataIsDurable() {
    SimDisk d = disk(DiskFaults.ACK_BEFORE_FSYNC, 3);
    d.append(List.of(txn(1, 1)));
    scheduler.runNext(Long.MAX_VALUE);   // the premature ack runs first
    assertThat(persisted).containsExactly(Zxid.of(1, 1));
    assertThat(d.durableLastZxid()).isEqualTo(Zxid.ZERO);
  }

  @Test
  void zxidsThatDoNotIncreaseOrLeaveAGapAreViolations() {
    SimDisk d = disk(DiskFaults.CORRECT, 1);
    d.append(List.of(txn(1, 1)));
    d.append(List.of(txn(1, 1)));
    d.append(List.of(txn(1, 5)));
    assertThat(violations.all()).extracting(Violation::check).containsExactly("LogZxidOrder", "LogZxidOrder");
  }

  @Test
  void truncateDropsTheTailDurably() {
    SimDisk d = disk(DiskFaults.CORRECT, 1);
    d.append(List.of(txn(1, 1), txn(1, 2), txn(1, 3)));
    scheduler.runNext(Long.MAX_VALUE);
    d.truncateAfter(Zxid.of(1, 1));
    d.crash();
    assertThat(d.durableState().logAfterSnapshot()).containsExactly(txn(1, 1));
    assertThat(d.lastZxid()).isEqualTo(Zxid.of(1, 1));
  }

  @Test
  void installedSnapshotReplacesTheLog_chunksMustBeContiguous() {
    SimDisk d = disk(DiskFaults.CORRECT, 1);
    d.append(List.of(txn(1, 1)));
    assertThat(d.installChunk(new SnapChunk(Zxid.of(2, 4), 0, new byte[] {1, 2}, false))).isNull();
    byte[] state = d.installChunk(new SnapChunk(Zxid.of(2, 4), 2, new byte[] {3}, true));
    assertThat(state).containsExactly(1, 2, 3);
    assertThat(d.durableState().snapshotZxid()).isEqualTo(Zxid.of(2, 4));
    assertThat(d.durableState().logAfterSnapshot()).isEmpty();
    assertThat(d.snapshotAt(Zxid.of(2, 4))).containsExactly(1, 2, 3);

    d.installChunk(new SnapChunk(Zxid.of(3, 1), 5, new byte[] {9}, true));
    assertThat(violations.all()).extracting(Violation::check).containsExactly("ActionContract");
  }

  @Test
  void aDamagedNewestSnapshotRestartsFromTheOlderOneWithTheLogSetAsideAndTheServerRepairing() {
    SimDisk d = disk(DiskFaults.CORRECT, 1);
    d.saveAcceptedEpoch(1);
    d.saveCurrentEpoch(1);
    assertThat(d.damageNewestSnapshot()).as("only the empty snapshot: nothing older").isFalse();
    d.append(List.of(txn(1, 1), txn(1, 2)));
    scheduler.runNext(Long.MAX_VALUE);
    d.saveSnapshot(Zxid.of(1, 2), new byte[] {2});
    d.append(List.of(txn(1, 3), txn(1, 4)));
    scheduler.runNext(Long.MAX_VALUE);
    d.saveSnapshot(Zxid.of(1, 4), new byte[] {4});
    d.append(List.of(txn(1, 5)));
    scheduler.runNext(Long.MAX_VALUE);
    d.crash();

    assertThat(d.damageNewestSnapshot()).isTrue();

    DurableState s = d.durableState();
    assertThat(s.snapshotZxid()).isEqualTo(Zxid.of(1, 2));
    assertThat(s.snapshot()).containsExactly(2);
    assertThat(s.logAfterSnapshot()).as("the log started after 0x1:0x4: set aside").isEmpty();
    assertThat(s.repairing()).as("it had logged 0x1:0x5").isEqualTo(new RepairPoint(Zxid.of(1, 5), 1));
    assertThat(d.snapshotAt(Zxid.of(1, 4))).as("the damaged one is never served").isNull();
    assertThat(violations.all()).isEmpty();
  }
}
