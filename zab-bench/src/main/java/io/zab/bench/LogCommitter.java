package io.zab.bench;

import io.zab.FileSyncer;
import io.zab.Zxid;
import io.zab.storage.LogWriter;
import io.zab.storage.TxnLog;
import io.zab.storage.TxnLogOptions;
import io.zab.wire.Txn;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/** Commits through the real TxnLog + LogWriter, counting fsyncs through the FileSyncer hook. */
final class LogCommitter implements Committer {
  private final AtomicLong fsyncs = new AtomicLong();
  private final LogWriter writer;
  private final Object order = new Object();
  private Zxid next = Zxid.of(1, 1); // guarded by order

  LogCommitter(Path dir, int queueCapacity, boolean fsync) throws IOException {
    FileSyncer counting = new FileSyncer() {
      @Override
      public void syncData(FileChannel channel) throws IOException {
        fsyncs.incrementAndGet();
        if (fsync) {
          channel.force(false);
        }
      }
    };
    TxnLog log = TxnLog.open(dir, TxnLogOptions.defaults().withSyncer(counting));
    writer = new LogWriter(log, queueCapacity, z -> {}, e -> {});
  }

  @Override
  public CompletableFuture<?> commit(byte[] payload) {
    // zxids must reach the queue in order; in the runtime one protocol thread does this, here producers race
    synchronized (order) {
      Zxid z = next;
      next = z.next();
      return writer.appendAndAwait(new Txn(z, payload));
    }
  }

  @Override
  public long fsyncs() {
    return fsyncs.get();
  }

  @Override
  public void close() {
    writer.close();
  }
}
