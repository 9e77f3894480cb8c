package io.zab.runtime;

import io.zab.storage.FileSyncer;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.CountDownLatch;

/** A disk whose data fsyncs can be made to hang until released (a slow or stuck device). */
final class GatedSyncer implements FileSyncer {
  private final CountDownLatch released = new CountDownLatch(1);
  private volatile boolean hanging;

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
    channel.force(false);
  }
}
