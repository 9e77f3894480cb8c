package io.zab.storage;

import static io.zab.storage.LogFiles.txn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zab.Zxid;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TxnLogFailureTest {
  @TempDir Path dir;
  final CountingSyncer syncer = new CountingSyncer();

  @Test
  void aFailedFsyncFailsTheLogForGoodWithTheOriginalAsCause() throws IOException {
    IOException eio = new IOException("EIO from fdatasync");
    try (TxnLog log = TxnLog.open(dir, TxnLogOptions.defaults().withSyncer(syncer))) {
      log.append(txn(1, 1));
      log.sync();
      log.append(txn(1, 2));
      syncer.failNext.set(eio);
      assertThatThrownBy(log::sync).isInstanceOf(LogFailedException.class).hasCause(eio);
      assertThat(log.durableZxid()).as("the failed sync covered nothing").isEqualTo(Zxid.of(1, 1));

      // never retried: the next sync would succeed at the OS level, but the log refuses it
      assertThatThrownBy(log::sync).isInstanceOf(LogFailedException.class).hasCause(eio);
      assertThatThrownBy(() -> log.append(txn(1, 3))).isInstanceOf(LogFailedException.class).hasCause(eio);
      assertThatThrownBy(() -> log.truncateAfter(Zxid.ZERO)).isInstanceOf(LogFailedException.class).hasCause(eio);
      assertThatThrownBy(() -> log.resetTo(Zxid.of(5, 0))).isInstanceOf(LogFailedException.class).hasCause(eio);
      assertThat(log.durableZxid()).isEqualTo(Zxid.of(1, 1));
    }
  }

  @Test
  void aFailedFsyncWhileRollingAlsoFailsTheLog() throws IOException {
    IOException eio = new IOException("EIO on roll");
    try (TxnLog log = TxnLog.open(dir, TxnLogOptions.defaults().withSegmentBytes(100).withSyncer(syncer))) {
      log.append(txn(1, 1));
      log.append(txn(1, 2));
      syncer.failNext.set(eio);
      long c = 3;
      // keep appending until the roll (which fsyncs the full segment) hits the failure
      while (true) {
        try {
          log.append(txn(1, c++));
        } catch (LogFailedException e) {
          assertThat(e).hasCause(eio);
          break;
        }
        assertThat(c).as("a roll must happen within a few records").isLessThan(20);
      }
      assertThatThrownBy(log::sync).isInstanceOf(LogFailedException.class).hasCause(eio);
    }
  }
}
