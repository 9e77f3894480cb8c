package io.zab.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.ZabNode;
import io.zab.Zxid;
import io.zab.fixtures.LocalCluster;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code submitWithoutCopy} hands the caller's array to zab (issue 12): the submitting thread allocates far less than
 * the payload, where {@code submit} copies every byte; and the writes replicate (S8, S9) exactly as through submit.
 * Allocation is counted per thread by the JVM, so this checks bytes, not time.
 */
class SubmitWithoutCopyTest {
  private static final int WRITES = 64;
  private static final int BYTES = 64 * 1024;

  @TempDir Path dir;

  @Test
  void submitCopiesThePayloadAndSubmitWithoutCopyDoesNot() throws Exception {
    try (LocalCluster cluster = new LocalCluster(dir, 3).startAll()) {
      ZabNode leader = cluster.awaitLeader();
      cluster.write(leader.serverId(), "warm-up"); // loads the classes of the path before anything is counted
      List<String> expected = new ArrayList<>(List.of("warm-up"));
      long payloadBytes = (long) WRITES * BYTES;

      long copied = allocatedWhileSubmitting(leader, "copy", leader::submit, expected);
      long handedOver = allocatedWhileSubmitting(leader, "own", leader::submitWithoutCopy, expected);

      assertThat(copied).as("bytes allocated by the thread calling submit for %d bytes of payload", payloadBytes)
          .isGreaterThanOrEqualTo(payloadBytes);
      assertThat(handedOver).as("bytes allocated by the thread calling submitWithoutCopy (submit: %d)", copied)
          .isLessThan(payloadBytes / 10);
      cluster.awaitApplied(cluster.ids(), expected);
    }
  }

  /** Submits WRITES fresh payloads through {@code submit}, then waits for them; returns what the submits allocated. */
  private static long allocatedWhileSubmitting(ZabNode on, String tag, Function<byte[], CompletableFuture<Zxid>> submit,
      List<String> expected) throws Exception {
    List<byte[]> payloads = new ArrayList<>();
    for (int i = 0; i < WRITES; i++) {
      String p = tag + i + "-" + "x".repeat(BYTES - tag.length() - 8);
      payloads.add(LocalCluster.bytes(p));
      expected.add(p);
    }
    List<CompletableFuture<Zxid>> futures = new ArrayList<>(WRITES);
    long before = allocatedByThisThread();
    for (byte[] p : payloads) {
      futures.add(submit.apply(p));
    }
    long allocated = allocatedByThisThread() - before;
    for (CompletableFuture<Zxid> f : futures) {
      f.get(LocalCluster.WAIT.toSeconds(), TimeUnit.SECONDS);
    }
    return allocated;
  }

  private static long allocatedByThisThread() {
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    return threads.getThreadAllocatedBytes(Thread.currentThread().getId());
  }
}
