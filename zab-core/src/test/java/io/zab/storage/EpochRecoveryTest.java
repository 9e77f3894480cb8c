package io.zab.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.Zxid;
import io.zab.storage.EpochRecovery.Decision;
import io.zab.storage.EpochRecovery.Found;
import io.zab.storage.EpochRecovery.Refuse;
import io.zab.storage.EpochRecovery.Start;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The table of docs/operations.md "Corruption", case by case. */
class EpochRecoveryTest {
  private static final EpochCopy A_MISSING = EpochCopy.missing("d/epochs/epochs");
  private static final EpochCopy B_MISSING = EpochCopy.missing("d/epochs/epochs.2");

  private static Decision decide(List<EpochCopy> copies, boolean dirs, Zxid newest) {
    return EpochRecovery.decide(7, new Found(copies, "d/log", dirs, "d/snapshots", dirs, newest));
  }

  private static EpochCopy a(long accepted, long current) {
    return EpochCopy.valid("d/epochs/epochs", accepted, current);
  }

  private static EpochCopy b(long accepted, long current) {
    return EpochCopy.valid("d/epochs/epochs.2", accepted, current);
  }

  private static String refusal(Decision d) {
    assertThat(d).isInstanceOf(Refuse.class);
    String reason = ((Refuse) d).reason();
    assertThat(reason).startsWith("server 7 refuses to start: ").contains("Nothing was changed on disk")
        .contains("docs/operations.md");
    return reason;
  }

  @Test
  void aBrandNewDataDirectoryStartsFromZero() {
    assertThat(decide(List.of(A_MISSING, B_MISSING), false, Zxid.ZERO)).isEqualTo(new Start(0, 0, true, List.of()));
  }

  @Test
  void noCopyLeftInADirectoryInUseIsRefusedNamingBothFiles() {
    String reason = refusal(decide(List.of(A_MISSING, B_MISSING), true, Zxid.of(3, 3)));
    assertThat(reason).contains("d/epochs/epochs (missing)", "d/epochs/epochs.2 (missing)", "0x3:0x3");
  }

  @Test
  void noCopyLeftIsRefusedEvenWithAnEmptyLogOnceTheDirectoryWasInUse() {
    // An empty log does not prove that nothing was promised: the server may have accepted an epoch.
    assertThat(refusal(decide(List.of(A_MISSING, B_MISSING), true, Zxid.ZERO))).contains("d/log exists");
  }

  @Test
  void damagedCopiesAreNeverReadAsANewDirectory() {
    EpochCopy bad = EpochCopy.damaged("d/epochs/epochs", "checksum mismatch");
    assertThat(refusal(decide(List.of(bad, B_MISSING), false, Zxid.ZERO))).contains("checksum mismatch");
  }

  @Test
  void oneValidCopyIsEnoughAndTheOtherIsRepaired() {
    EpochCopy bad = EpochCopy.damaged("d/epochs/epochs.2", "torn");
    assertThat(decide(List.of(a(5, 4), bad), true, Zxid.of(4, 9)))
        .isEqualTo(new Start(5, 4, false, List.of("d/epochs/epochs.2 (torn)")));
    assertThat(decide(List.of(A_MISSING, b(5, 5)), true, Zxid.of(5, 1)))
        .isEqualTo(new Start(5, 5, false, List.of("d/epochs/epochs (missing)")));
  }

  @Test
  void twoValidCopiesThatDifferGiveTheNewerEpochs() {
    Decision d = decide(List.of(a(6, 5), b(5, 5)), true, Zxid.of(5, 2));
    assertThat(d).isInstanceOfSatisfying(Start.class, s -> {
      assertThat(s.acceptedEpoch()).isEqualTo(6);
      assertThat(s.currentEpoch()).isEqualTo(5);
      assertThat(s.repairs()).singleElement().asString().startsWith("d/epochs/epochs.2");
    });
    // copies that no sequence of writes produces: each epoch is taken at its highest, never forgotten
    assertThat(decide(List.of(a(6, 3), b(5, 5)), true, Zxid.ZERO)).isInstanceOfSatisfying(Start.class,
        s -> assertThat(List.of(s.acceptedEpoch(), s.currentEpoch())).containsExactly(6L, 5L));
  }

  @Test
  void anAcceptedEpochBelowTheNewestStoredZxidIsStaleAndRefused() {
    String reason = refusal(decide(List.of(a(3, 3), b(3, 3)), true, Zxid.of(4, 1)));
    assertThat(reason).contains("older than its data", "acceptedEpoch 3", "0x4:0x1");
  }

  @Test
  void aCurrentEpochBelowTheLogIsNormal() {
    // A follower appends the proposals following NEWLEADER before it saves currentEpoch (then it crashed).
    assertThat(decide(List.of(a(4, 3), b(4, 3)), true, Zxid.of(4, 2))).isEqualTo(new Start(4, 3, false, List.of()));
  }

  @Test
  void aStartInterruptedAfterTheEpochFilesOfANewDirectoryStartsAgain() {
    assertThat(decide(List.of(a(0, 0), B_MISSING), false, Zxid.ZERO))
        .isEqualTo(new Start(0, 0, false, List.of("d/epochs/epochs.2 (missing)")));
  }

  @Test
  void aMissingLogOrSnapshotDirectoryAfterAnEpochWasAcceptedIsRefused() {
    Decision noLog = EpochRecovery.decide(7, new Found(List.of(a(2, 2), b(2, 2)), "d/log", false, "d/snapshots",
        true, Zxid.ZERO));
    assertThat(refusal(noLog)).contains("d/log is missing");
    Decision noSnapshots = EpochRecovery.decide(7, new Found(List.of(a(2, 2), b(2, 2)), "d/log", true,
        "d/snapshots", false, Zxid.of(2, 5)));
    assertThat(refusal(noSnapshots)).contains("d/snapshots is missing");
  }
}
