package io.zab.runtime;

import static io.zab.runtime.ActionRunnerFixture.txn;
import static org.assertj.core.api.Assertions.assertThat;

import io.zab.protocol.Action.Append;
import io.zab.protocol.Action.Deliver;
import io.zab.protocol.Event;
import io.zab.wire.Txn;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing waits inside a server for a slow state machine or disk (issue 10, item 4): the protocol thread queues
 * and goes on, and the {@link IntakeGate} refuses work at the edge and pauses the transport instead.
 */
class IntakeGateTest {
  private static final List<Txn> THREE = List.of(txn(1, 1), txn(1, 2), txn(1, 3));

  @TempDir
  Path dir;

  private final EventQueue inbox = new EventQueue(2);
  private final AtomicLong applyTxns = new AtomicLong();
  private final AtomicLong applyBytes = new AtomicLong();
  private final AtomicLong logBytes = new AtomicLong();
  private final IntakeGate gate = new IntakeGate(7, inbox, applyTxns::get, 100, applyBytes::get, 1_000,
      logBytes::get, 5_000);

  @Test
  void theProtocolThreadHandsDeliveriesAndAppendsOverWithoutWaitingForAStuckStateMachineOrDisk() throws Exception {
    try (ActionRunnerFixture f = new ActionRunnerFixture(dir, io.zab.transport.LocalNetwork.create())) {
      f.disk.hang();
      // The state machine holds its first apply and the disk never finishes an fsync: both queue up.
      f.runAsync(List.of(new Append(THREE), new Deliver(THREE))).get(5, TimeUnit.SECONDS);
      f.runAsync(List.of(new Append(List.of(txn(1, 4))))).get(5, TimeUnit.SECONDS);
      assertThat(f.applyLoop.backlog()).isEqualTo(3);
      assertThat(f.logBacklogBytes.get()).as("queued for the log, not durable").isEqualTo(
          ApplyLoop.bytesOf(THREE) + ApplyLoop.bytesOf(List.of(txn(1, 4))));
      f.disk.release();
      f.held.release();
    }
  }

  @Test
  void pastTheApplyOrLogBoundSubmitsAreRefusedAndTheTransportPausedUntilItCatchesUp() {
    assertThat(gate.refusal()).isNull();
    assertThat(gate.open()).isTrue();
    AtomicInteger resumed = new AtomicInteger();

    applyBytes.set(1_001);
    assertThat(gate.refusal()).contains("state machine of server 7", "1001 bytes", "maxApplyBacklogBytes=1000");
    assertThat(gate.open()).isFalse();
    gate.whenOpen(resumed::incrementAndGet);
    gate.recheck();
    assertThat(resumed).as("still over the bound").hasValue(0);

    applyBytes.set(0);
    logBytes.set(5_001);
    gate.recheck();
    assertThat(resumed).as("the disk is behind now").hasValue(0);
    assertThat(gate.refusal()).contains("disk of server 7", "5001 bytes");

    logBytes.set(0);
    gate.recheck();
    assertThat(resumed).hasValue(1);
    gate.recheck();
    assertThat(resumed).as("each paused reader resumes once").hasValue(1);
  }

  @Test
  void aFullInboxPausesTheTransportButDoesNotRefuseSubmitsWhileTheCountBoundRefusesOnlySubmits() throws Exception {
    inbox.addReceived(new Event.Tick());
    inbox.addReceived(new Event.Tick());
    inbox.addReceived(new Event.Tick()); // taken past the bound: a received message is never dropped
    assertThat(gate.open()).isFalse();
    assertThat(gate.refusal()).isNull();
    AtomicInteger resumed = new AtomicInteger();
    gate.whenOpen(resumed::incrementAndGet);
    List<Event> drained = new ArrayList<>();
    assertThat(inbox.drainTo(drained)).isTrue();
    assertThat(drained).hasSize(3);
    gate.recheck();
    assertThat(resumed).hasValue(1);

    applyTxns.set(100);
    assertThat(gate.refusal()).contains("100 committed txns behind", "maxOutstanding=100");
    assertThat(gate.open()).as("the transport keeps reading: memory is what bounds it").isTrue();
  }

  @Test
  void aReaderThatAsksWhileTheGateIsOpenResumesAtOnce() {
    AtomicInteger resumed = new AtomicInteger();
    gate.whenOpen(resumed::incrementAndGet);
    assertThat(resumed).hasValue(1);
  }
}
