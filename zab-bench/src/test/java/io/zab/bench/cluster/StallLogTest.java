package io.zab.bench.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StallLogTest {

  @Test
  void onlyEventsAtOrOverTheThresholdAreWrittenWithTheirEndAndDuration(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("writes-1.txt");
    // a threshold of 1 s: the event timed as "just now" cannot reach it unless this thread stalls for a second
    StallLog log = new StallLog(file, TimeUnit.SECONDS.toNanos(1));
    long before = System.currentTimeMillis();
    log.mark("opened");
    log.ended(System.nanoTime() - TimeUnit.SECONDS.toNanos(2)); // started 2 s ago: slow
    log.ended(System.nanoTime()); // just now: under the threshold
    log.mark("closed");
    log.flush();
    long after = System.currentTimeMillis();

    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).startsWith("# opened ");
    assertThat(lines.get(2)).startsWith("# closed ");
    String[] slow = lines.get(1).split(" ");
    assertThat(Long.parseLong(slow[0])).isBetween(before, after);
    assertThat(Long.parseLong(slow[1])).isGreaterThanOrEqualTo(2_000_000);

    log.ended(System.nanoTime() - TimeUnit.SECONDS.toNanos(3));
    log.flush(); // appends; the earlier lines stay
    assertThat(Files.readAllLines(file)).hasSize(4);
  }
}
