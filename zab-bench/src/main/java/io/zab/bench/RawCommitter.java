package io.zab.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The baseline: one thread writes everything queued with FileChannel.write, then force(false), then completes
 * the futures. Same queue, same ordering lock and same record size as {@link LogCommitter}; no checksums, no
 * segments, no checks.
 */
final class RawCommitter implements Committer {
  private record Pending(byte[] payload, CompletableFuture<Void> done) {}

  private final AtomicLong fsyncs = new AtomicLong();
  private final BlockingQueue<Pending> queue;
  private final FileChannel channel;
  private final Thread thread;
  private final Object order = new Object();
  private final boolean fsync;
  private volatile boolean running = true;

  RawCommitter(Path dir, int queueCapacity, boolean fsync) throws IOException {
    this.fsync = fsync;
    queue = new ArrayBlockingQueue<>(queueCapacity);
    channel = FileChannel.open(dir.resolve("raw.log"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    thread = new Thread(this::run, "raw-committer");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public CompletableFuture<?> commit(byte[] payload) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    synchronized (order) {
      try {
        queue.put(new Pending(payload, done));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        done.completeExceptionally(e);
      }
    }
    return done;
  }

  private void run() {
    ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
    List<Pending> batch = new ArrayList<>();
    long seq = 0;
    try {
      while (running || !queue.isEmpty()) {
        Pending first = queue.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch);
        for (Pending p : batch) {
          if (buf.remaining() < 16 + p.payload().length) {
            writeOut(buf);
          }
          // same 16-byte framing as the log's records, without the checksum
          buf.putInt(p.payload().length).putInt(0).putLong(++seq).put(p.payload());
        }
        writeOut(buf);
        if (fsync) {
          channel.force(false);
        }
        fsyncs.incrementAndGet();
        batch.forEach(p -> p.done().complete(null));
        batch.clear();
      }
    } catch (IOException | InterruptedException e) {
      batch.forEach(p -> p.done().completeExceptionally(e));
      queue.forEach(p -> p.done().completeExceptionally(e));
    }
  }

  private void writeOut(ByteBuffer buf) throws IOException {
    buf.flip();
    while (buf.hasRemaining()) {
      channel.write(buf);
    }
    buf.clear();
  }

  @Override
  public long fsyncs() {
    return fsyncs.get();
  }

  @Override
  public void close() throws IOException {
    running = false;
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    channel.close();
  }
}
