package io.zab.bench.cluster;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The raw group-commit loop of the fsync ceiling: {@link #append} queues a record; one syncer thread writes
 * everything queued in one gathering write, calls {@code force(false)} once for the group, then completes
 * each record's callback. No framing, no checksums, no protocol.
 */
final class GroupCommitFile implements AutoCloseable {

  private record Pending(ByteBuffer record, ClosedLoop.Completion durable) {}

  private final FileChannel channel;
  /** Bytes of zeros written and synced before the first record (writes then wrap around in them), or 0. */
  private final long preallocatedBytes;
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Thread syncer;
  private volatile boolean closing;

  GroupCommitFile(Path file) throws IOException {
    this(file, 0);
  }

  /**
   * With {@code preallocatedBytes > 0} the file is first filled with that many zeros and synced, and records then
   * overwrite them from the start, wrapping around: each group's {@code force(false)} flushes data blocks only, no
   * file size or block allocation (what a log with preallocated segments pays per write).
   */
  GroupCommitFile(Path file, long preallocatedBytes) throws IOException {
    channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    this.preallocatedBytes = preallocatedBytes;
    if (preallocatedBytes > 0) {
      ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
      for (long written = 0; written < preallocatedBytes; ) {
        zeros.clear().limit((int) Math.min(zeros.capacity(), preallocatedBytes - written));
        written += channel.write(zeros);
      }
      channel.force(true);
      channel.position(0);
    }
    syncer = new Thread(this::syncLoop, "ceiling-syncer");
    syncer.start();
  }

  /** Calls {@code durable} (on the syncer thread) once {@code record} is written and forced. */
  void append(ByteBuffer record, ClosedLoop.Completion durable) {
    queue.add(new Pending(record, durable));
  }

  private void syncLoop() {
    List<Pending> group = new ArrayList<>();
    try {
      while (!closing || !queue.isEmpty()) {
        Pending first = queue.poll(10, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        group.add(first);
        queue.drainTo(group);
        ByteBuffer[] buffers = new ByteBuffer[group.size()];
        long remaining = 0;
        for (int i = 0; i < buffers.length; i++) {
          buffers[i] = group.get(i).record();
          remaining += buffers[i].remaining();
        }
        if (preallocatedBytes > 0 && channel.position() + remaining > preallocatedBytes) {
          channel.position(0);
        }
        while (remaining > 0) {
          remaining -= channel.write(buffers);
        }
        channel.force(false);
        for (Pending pending : group) {
          pending.durable().complete(true);
        }
        group.clear();
      }
    } catch (IOException | InterruptedException e) {
      for (Pending pending : group) {
        pending.durable().complete(false);
      }
      throw new IllegalStateException("ceiling syncer failed", e);
    }
  }

  /** Syncs what is queued, then stops the syncer and closes the file. */
  @Override
  public void close() throws IOException, InterruptedException {
    closing = true;
    syncer.join(TimeUnit.SECONDS.toMillis(30));
    channel.close();
  }
}
