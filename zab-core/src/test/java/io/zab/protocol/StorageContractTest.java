package io.zab.protocol;

import static io.zab.protocol.S4VoteOrderTest.txns;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zab.Zxid;
import io.zab.wire.Message;
import io.zab.wire.Txn;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The storage half of the action contract, as both harnesses carry it out: effects and the checks that can fail. */
class StorageContractTest {

  @Test
  void carriesOutTheStorageActionsAndNothingElse() {
    SimDisk disk = new SimDisk(PersistentState.empty());
    List<String> problems = new ArrayList<>();
    assertThat(StorageContract.carryOut(new Action.SaveAcceptedEpoch(2), disk, problems::add)).isTrue();
    assertThat(StorageContract.carryOut(new Action.SaveCurrentEpoch(2), disk, problems::add)).isTrue();
    assertThat(StorageContract.carryOut(new Action.Append(txns(2, 3)), disk, problems::add)).isTrue();
    assertThat(StorageContract.carryOut(new Action.Truncate(Zxid.of(2, 1)), disk, problems::add)).isTrue();
    assertThat(StorageContract.carryOut(new Action.Deliver(txns(2, 1)), disk, problems::add)).isFalse();
    assertThat(disk.log()).extracting(Txn::zxid).containsExactly(Zxid.of(2, 1));
    assertThat(disk.durableCount()).as("an append is durable only after its fsync").isZero();
    assertThat(disk.recover().acceptedEpoch()).isEqualTo(2);
    assertThat(problems).isEmpty();
  }

  @Test
  void anEpochSavedBelowTheOneOnDiskIsReported() {
    SimDisk disk = new SimDisk(PersistentState.empty());
    List<String> problems = new ArrayList<>();
    StorageContract.carryOut(new Action.SaveAcceptedEpoch(3), disk, problems::add);
    StorageContract.carryOut(new Action.SaveAcceptedEpoch(2), disk, problems::add);
    StorageContract.carryOut(new Action.SaveCurrentEpoch(1), disk, problems::add);
    assertThat(problems).containsExactly("acceptedEpoch saved as 2 below 3");
  }

  @Test
  void theProtocolTestsDiskFailsOnAnAppendOutOfOrder() {
    SimDisk disk = new SimDisk(PersistentState.empty());
    disk.apply(new Action.SaveAcceptedEpoch(1));
    disk.apply(new Action.Append(txns(1, 2)));
    assertThatThrownBy(() -> disk.apply(new Action.Append(List.of(new Txn(Zxid.of(1, 4), new byte[0])))))
        .isInstanceOf(AssertionError.class).hasMessageContaining("LogZxidOrder").hasMessageContaining("gap");
    assertThatThrownBy(() -> disk.apply(new Action.SaveAcceptedEpoch(0)))
        .isInstanceOf(AssertionError.class).hasMessageContaining("EpochMonotonic");
  }

  @Test
  void snapshotChunksMustContinueTheirTransfer() {
    SimDisk disk = new SimDisk(PersistentState.empty());
    Zxid z = Zxid.of(1, 5);
    assertThat(disk.installChunk(new Message.SnapChunk(z, 0, new byte[] {1, 2}, false))).isNull();
    assertThat(disk.installChunk(new Message.SnapChunk(z, 2, new byte[] {3}, true))).containsExactly(1, 2, 3);
    assertThat(disk.snapshotZxid()).isEqualTo(z);
    disk.installChunk(new Message.SnapChunk(Zxid.of(1, 9), 0, new byte[] {1}, false));
    assertThatThrownBy(() -> disk.installChunk(new Message.SnapChunk(Zxid.of(1, 9), 2, new byte[] {3}, true)))
        .isInstanceOf(AssertionError.class).hasMessageContaining("does not continue the transfer");
    disk.discardIncomingSnapshot();
    assertThatThrownBy(() -> disk.installChunk(new Message.SnapChunk(Zxid.of(1, 9), 1, new byte[] {3}, true)))
        .as("nothing to continue after a discard").isInstanceOf(AssertionError.class)
        .hasMessageContaining("none started");
    assertThat(disk.snapshotZxid()).isEqualTo(z);
  }
}
