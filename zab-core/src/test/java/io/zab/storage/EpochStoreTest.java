package io.zab.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EpochStoreTest {
  @TempDir Path dir;

  Path file() {
    return dir.resolve(EpochStore.FILE_NAME);
  }

  @Test
  void freshDirectoryReadsZeroZero() throws IOException {
    EpochStore s = EpochStore.open(dir);
    assertThat(s.acceptedEpoch()).isZero();
    assertThat(s.currentEpoch()).isZero();
  }

  @Test
  void valuesSurviveReopen() throws IOException {
    EpochStore s = EpochStore.open(dir);
    s.setAcceptedEpoch(7);
    s.setCurrentEpoch(5);
    s.setAcceptedEpoch(0x1_0000_0000L - 1); // epochs are 32-bit unsigned
    EpochStore again = EpochStore.open(dir);
    assertThat(again.acceptedEpoch()).isEqualTo(0xFFFF_FFFFL);
    assertThat(again.currentEpoch()).isEqualTo(5);
    assertThat(Files.exists(AtomicFiles.tempFor(file()))).isFalse();
  }

  @Test
  void currentEpochCannotExceedAcceptedAndEpochsNeverGoBack() throws IOException {
    EpochStore s = EpochStore.open(dir);
    s.setAcceptedEpoch(3);
    assertThatThrownBy(() -> s.setCurrentEpoch(4)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot exceed accepted");
    s.setCurrentEpoch(3);
    assertThatThrownBy(() -> s.setAcceptedEpoch(2)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> s.setCurrentEpoch(2)).isInstanceOf(IllegalStateException.class);
    assertThat(EpochStore.open(dir).currentEpoch()).isEqualTo(3);
  }

  @Test
  void tornFileIsDetectedNotReadAsZero() throws IOException {
    EpochStore.open(dir).setAcceptedEpoch(9);
    byte[] whole = Files.readAllBytes(file());
    for (int len = 0; len < whole.length; len++) {
      Files.write(file(), Arrays.copyOf(whole, len));
      assertThatThrownBy(() -> EpochStore.open(dir)).as("torn at %d", len)
          .isInstanceOf(CorruptStateException.class).hasMessageContaining(file().toString());
    }
  }

  @Test
  void anyFlippedBitIsDetected() throws IOException {
    EpochStore s = EpochStore.open(dir);
    s.setAcceptedEpoch(9);
    s.setCurrentEpoch(8);
    byte[] whole = Files.readAllBytes(file());
    for (int bit = 0; bit < whole.length * 8; bit++) {
      byte[] bad = whole.clone();
      bad[bit / 8] ^= (byte) (1 << (bit % 8));
      Files.write(file(), bad);
      assertThatThrownBy(() -> EpochStore.open(dir)).as("bit %d", bit)
          .isInstanceOf(CorruptStateException.class).hasMessageContaining(file().toString());
    }
  }

  @Test
  void leftoverTempFileIsIgnoredAndRemoved() throws IOException {
    EpochStore.open(dir).setAcceptedEpoch(4);
    Files.write(AtomicFiles.tempFor(file()), new byte[] {1, 2, 3});
    assertThat(EpochStore.open(dir).acceptedEpoch()).isEqualTo(4);
    assertThat(Files.exists(AtomicFiles.tempFor(file()))).isFalse();
  }
}
