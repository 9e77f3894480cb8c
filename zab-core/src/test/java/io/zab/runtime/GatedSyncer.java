package io.zab.runtime;

import io.zab.FileSyncer;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.CountDownLatch;

/** A disk whose data fsyncs can be made to hang until released (a slow or stuck device). */
final class GatedSyncer implements FileSyncer {
  private final CountDownLatch released = new CountDownLatch(1);
  private final boolean realFsync;
  private volatile boolean hanging;

  GatedSyncer() {
    this(true);
  }

  private GatedSyncer(boolean realFsync) {
    this.realFsync = realFsync;
  }

  /** One that skips the real fsync: for tests that need thousands of writes quickly and no crash safety. */
  static GatedSyncer withoutFsync() {
    return new GatedSyncer(false);
  }

  void hang() {
    hanging = true;
  }

  void release() {
    released.countDown();
  }

  @Override
  public void syncData(FileChannel channel) throws IOException {
    if (hanging) {
      try {
        released.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (realFsync) {
      channel.force(false);
    }
  }
}
