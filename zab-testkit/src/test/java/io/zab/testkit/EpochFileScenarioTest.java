package io.zab.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zab.testkit.sim.DiskFaults;
import io.zab.testkit.sim.KvStateMachine;
import io.zab.testkit.sim.SimDisk;
import io.zab.testkit.sim.SimRequest;
import org.junit.jupiter.api.Test;

/**
 * Lost epoch files in the simulator (issue 14): the start is refused as the runtime refuses it, and the
 * EpochCoversLog check catches a runtime that starts anyway with the promise forgotten.
 */
class EpochFileScenarioTest {
  private static SimCluster clusterWithHistory(DiskFaults faults) {
    SimCluster cluster = SimCluster.builder().servers(3).seed(5).stateMachine(KvStateMachine::new)
        .diskFaults(faults).build();
    cluster.startAll().runUntilStable();
    for (int i = 0; i < 3; i++) {
      assertThat(cluster.await(cluster.submit(3, KvStateMachine.put("k" + i, "v"))).status())
          .isEqualTo(SimRequest.Status.COMPLETED);
    }
    cluster.crash(1).crash(2).crash(3);
    cluster.startAll().runUntilStable(); // a second epoch in every log
    assertThat(cluster.await(cluster.submit(1, KvStateMachine.put("k", "epoch 2"))).status())
        .isEqualTo(SimRequest.Status.COMPLETED);
    cluster.crash(1).crash(2).crash(3);
    for (long id = 1; id <= 3; id++) {
      SimDisk disk = cluster.simulation().server(id).disk();
      disk.loseEpochCopy(0);
      disk.loseEpochCopy(1);
    }
    return cluster;
  }

  @Test
  void everyServerLosingItsEpochFilesRefusesToStartInsteadOfKillingEachLeader() {
    SimCluster cluster = clusterWithHistory(DiskFaults.CORRECT);
    cluster.startAll().advanceTime(java.time.Duration.ofSeconds(5));
    for (long id = 1; id <= 3; id++) {
      assertThat(cluster.isRunning(id)).isFalse();
      assertThat(cluster.simulation().server(id).refusal()).contains("refuses to start", "s" + id + "/epochs/epochs");
    }
    ZabAssertions.assertThat(cluster).hasNoViolations();
  }

  @Test
  void aRuntimeThatReadsLostEpochFilesAsZeroIsCaughtByTheEpochCoversLogCheck() {
    SimCluster cluster = clusterWithHistory(DiskFaults.READS_LOST_EPOCHS_AS_ZERO);
    assertThatThrownBy(cluster::startAll).isInstanceOf(SimulationFailure.class).hasMessageContaining("EpochCoversLog");
  }

  @Test
  void oneLostCopyIsRepairedFromTheOtherAndTheServerRejoins() {
    SimCluster cluster = SimCluster.builder().servers(3).seed(6).stateMachine(KvStateMachine::new).build();
    cluster.startAll().runUntilStable();
    cluster.await(cluster.submit(2, KvStateMachine.put("a", "1")));
    long epoch = cluster.currentEpoch(1);
    cluster.crash(1);
    SimDisk disk = cluster.simulation().server(1).disk();
    disk.loseEpochCopy(0);
    disk.damageEpochCopy(1);
    cluster.start(1);
    assertThat(cluster.isRunning(1)).as("no valid copy: refused").isFalse();

    SimDisk.SavedEpochs last = disk.savedEpochs().get(disk.savedEpochs().size() - 1);
    disk.revertEpochCopy(1, last); // the copy comes back (an operator restored it)
    cluster.start(1).runUntilStable();
    assertThat(cluster.currentEpoch(1)).isGreaterThanOrEqualTo(epoch);
    assertThat(disk.epochCopies()).allMatch(c -> c.isValid() && c.acceptedEpoch() == disk.acceptedEpoch());
    ZabAssertions.assertThat(cluster).hasConverged().hasNoViolations();
  }
}
