package io.zab.bench.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupCommitFileTest {

  @Test
  void everyRecordIsWrittenWholeAndAcknowledgedOnce(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("log");
    int records = 500;
    CountDownLatch acked = new CountDownLatch(records);
    AtomicInteger failures = new AtomicInteger();
    try (GroupCommitFile log = new GroupCommitFile(file)) {
      for (int i = 0; i < records; i++) {
        log.append(ByteBuffer.wrap(new byte[] {(byte) i, 1, 2}), ok -> {
          if (!ok) {
            failures.incrementAndGet();
          }
          acked.countDown();
        });
      }
      assertThat(acked.await(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(failures.get()).isZero();
    byte[] content = Files.readAllBytes(file);
    assertThat(content).hasSize(3 * records);
    for (int i = 0; i < records; i++) {
      assertThat(content[3 * i]).as("record %d in append order", i).isEqualTo((byte) i);
    }
  }
}
