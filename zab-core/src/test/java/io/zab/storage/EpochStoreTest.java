package io.zab.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EpochStoreTest {
  @TempDir Path dir;

  Path file() {
    return dir.resolve(EpochStore.FILE_NAME);
  }

  Path copy() {
    return dir.resolve(EpochStore.COPY_NAME);
  }

  @Test
  void aMissingDirectoryHasTwoMissingCopiesAndReadingChangesNothing() throws IOException {
    Path none = dir.resolve("none");
    assertThat(EpochStore.read(none)).extracting(EpochCopy::state)
        .containsExactly(EpochCopy.State.MISSING, EpochCopy.State.MISSING);
    assertThat(Files.exists(none)).isFalse();
  }

  @Test
  void openingWritesBothCopiesAndValuesSurviveReopen() throws IOException {
    EpochStore s = EpochStore.open(dir, 0, 0);
    assertThat(EpochStore.read(dir)).containsExactly(EpochCopy.valid(file().toString(), 0, 0),
        EpochCopy.valid(copy().toString(), 0, 0));
    s.setAcceptedEpoch(7);
    s.setCurrentEpoch(5);
    s.setAcceptedEpoch(0x1_0000_0000L - 1); // epochs are 32-bit unsigned
    assertThat(EpochStore.read(dir)).allSatisfy(c -> {
      assertThat(c.acceptedEpoch()).isEqualTo(0xFFFF_FFFFL);
      assertThat(c.currentEpoch()).isEqualTo(5);
    });
    assertThat(Files.exists(AtomicFiles.tempFor(file()))).isFalse();
    assertThat(Files.exists(AtomicFiles.tempFor(copy()))).isFalse();
  }

  @Test
  void currentEpochCannotExceedAcceptedAndEpochsNeverGoBack() throws IOException {
    EpochStore s = EpochStore.open(dir, 0, 0);
    s.setAcceptedEpoch(3);
    assertThatThrownBy(() -> s.setCurrentEpoch(4)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot exceed accepted");
    s.setCurrentEpoch(3);
    assertThatThrownBy(() -> s.setAcceptedEpoch(2)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> s.setCurrentEpoch(2)).isInstanceOf(IllegalStateException.class);
    assertThat(EpochStore.read(dir).get(0).currentEpoch()).isEqualTo(3);
  }

  @Test
  void tornCopyIsReportedDamagedNotReadAsZero() throws IOException {
    EpochStore.open(dir, 0, 0).setAcceptedEpoch(9);
    byte[] whole = Files.readAllBytes(file());
    for (int len = 0; len < whole.length; len++) {
      Files.write(file(), Arrays.copyOf(whole, len));
      List<EpochCopy> read = EpochStore.read(dir);
      assertThat(read.get(0).state()).as("torn at %d", len).isEqualTo(EpochCopy.State.DAMAGED);
      assertThat(read.get(0).describe()).contains(file().toString());
      assertThat(read.get(1)).isEqualTo(EpochCopy.valid(copy().toString(), 9, 0));
    }
  }

  @Test
  void anyFlippedBitIsDetected() throws IOException {
    EpochStore s = EpochStore.open(dir, 0, 0);
    s.setAcceptedEpoch(9);
    s.setCurrentEpoch(8);
    byte[] whole = Files.readAllBytes(copy());
    for (int bit = 0; bit < whole.length * 8; bit++) {
      byte[] bad = whole.clone();
      bad[bit / 8] ^= (byte) (1 << (bit % 8));
      Files.write(copy(), bad);
      assertThat(EpochStore.read(dir).get(1).state()).as("bit %d", bit).isEqualTo(EpochCopy.State.DAMAGED);
    }
  }

  @Test
  void openRewritesEveryCopyThatDoesNotHoldTheDecidedEpochs() throws IOException {
    EpochStore.open(dir, 0, 0).setAcceptedEpoch(4);
    Files.delete(file());
    Files.write(copy(), new byte[] {1, 2, 3});
    EpochStore s = EpochStore.open(dir, 4, 0);
    assertThat(EpochStore.read(dir)).containsExactly(EpochCopy.valid(file().toString(), 4, 0),
        EpochCopy.valid(copy().toString(), 4, 0));
    assertThat(s.acceptedEpoch()).isEqualTo(4);
  }

  @Test
  void leftoverTempFileIsIgnoredAndRemoved() throws IOException {
    EpochStore.open(dir, 0, 0).setAcceptedEpoch(4);
    Files.write(AtomicFiles.tempFor(file()), new byte[] {1, 2, 3});
    assertThat(EpochStore.read(dir).get(0).acceptedEpoch()).isEqualTo(4);
    EpochStore.open(dir, 4, 0);
    assertThat(Files.exists(AtomicFiles.tempFor(file()))).isFalse();
  }
}
