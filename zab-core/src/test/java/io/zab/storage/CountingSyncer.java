package io.zab.storage;

import io.zab.FileSyncer;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** A real fsync that counts data syncs and can be told to fail the next one. */
final class CountingSyncer implements FileSyncer {
  final AtomicInteger dataSyncs = new AtomicInteger();
  final AtomicInteger directorySyncs = new AtomicInteger();
  final AtomicReference<IOException> failNext = new AtomicReference<>();
  /** When set, the next data sync waits for it (so a test can make commands pile up behind an fsync). */
  final AtomicReference<CountDownLatch> gate = new AtomicReference<>();

  @Override
  public void syncData(FileChannel channel) throws IOException {
    CountDownLatch g = gate.getAndSet(null);
    if (g != null) {
      try {
        if (!g.await(30, TimeUnit.SECONDS)) {
          throw new IOException("test gate never opened");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
    }
    IOException e = failNext.getAndSet(null);
    if (e != null) {
      throw e;
    }
    dataSyncs.incrementAndGet();
    channel.force(false);
  }

  @Override
  public void syncDirectory(Path dir) throws IOException {
    directorySyncs.incrementAndGet();
    FileSyncer.super.syncDirectory(dir);
  }
}
