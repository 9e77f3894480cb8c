package io.zab.runtime;

import static io.zab.fixtures.LocalCluster.WAIT;
import static io.zab.fixtures.LocalCluster.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.zab.FileSyncer;
import io.zab.Member;
import io.zab.ZabNode;
import io.zab.fixtures.LocalCluster;
import io.zab.fixtures.RecordingStateMachine;
import io.zab.transport.LocalNetwork;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retiring old snapshots and log segments fsyncs their directories on the snapshot thread: never on the protocol
 * thread (the whole pipeline of the server would wait) nor on the log writer (every append queued behind it would).
 */
class RetirementThreadTest {
  private static final long ID = 3;

  @TempDir
  Path dir;

  /** Where each directory fsync of a retirement ran: "thread dir". */
  private final Set<String> retiring = ConcurrentHashMap.newKeySet();

  @Test
  void retirementSyncsItsDirectoriesOnTheSnapshotThreadAndStillDeletes() throws Exception {
    ZabNode node = ZabNode.builder().serverId(ID).members(List.of(Member.local(ID))).dataDir(dir)
        .transport(LocalNetwork.create()::transport).stateMachine(new RecordingStateMachine())
        .snapshotEveryTxns(5).logSegmentBytes(1024).tick(LocalCluster.TICK)
        .fileSyncer(new FileSyncer() {
          @Override
          public void syncDirectory(Path d) throws IOException {
            if (Thread.currentThread().getName().startsWith("zab-") && calledByRetirement()) {
              retiring.add(Thread.currentThread().getName() + " " + d.getFileName());
            }
            FileSyncer.super.syncDirectory(d);
          }
        }).build();
    try {
      node.start();
      for (int round = 0; round < 30; round++) {
        CompletableFuture<?>[] writes = new CompletableFuture<?>[10];
        for (int i = 0; i < writes.length; i++) {
          writes[i] = node.submit(bytes("write " + round + "." + i + " ".repeat(100)));
        }
        CompletableFuture.allOf(writes).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      }
      LocalCluster.awaitCondition(WAIT, () -> count(dir.resolve("snapshots"), "snapshot.") <= 3
              && count(dir.resolve("log"), "log.") - count(dir.resolve("log"), "log.recycled.") <= 4,
          () -> "old snapshots and segments retired: " + listing());

      assertThat(retiring).as("the retirements' directory fsyncs")
          .contains("zab-snapshot-3 snapshots", "zab-snapshot-3 log")
          .allMatch(s -> s.startsWith("zab-snapshot-3 "), "on the snapshot thread");
    } finally {
      node.close();
    }
  }

  /** Whether the caller deletes old snapshots or compacts the log (not a segment roll nor a snapshot write). */
  private static boolean calledByRetirement() {
    return StackWalker.getInstance().walk(frames -> frames.anyMatch(f -> f.getMethodName().equals("deleteOlderThan")
        || f.getMethodName().equals("deleteSegmentsBefore")
        || f.getClassName().endsWith("PendingDirectorySync")));
  }

  private static long count(Path d, String prefix) {
    try (Stream<Path> files = Files.list(d)) {
      return files.filter(p -> p.getFileName().toString().startsWith(prefix)).count();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private String listing() {
    try (Stream<Path> s = Files.list(dir.resolve("snapshots")); Stream<Path> l = Files.list(dir.resolve("log"))) {
      return Stream.concat(s, l).map(p -> p.getFileName().toString()).sorted().toList() + ", fsyncs " + retiring;
    } catch (IOException e) {
      return e.toString();
    }
  }
}
