package io.zab.storage;

import io.zab.FileSyncer;
import io.zab.Zxid;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadFactory;

/**
 * Prepares the next segment of a {@link TxnLog} on a thread of its own: a file {@value #FILE_NAME} in the log
 * directory written with zeros to the segment size and fsynced every 4 MiB, so that the log writer never writes the
 * zeros itself. {@link #install} turns it into a segment: header, fdatasync, rename to the segment's name, fsync of the
 * directory. A crash before the rename leaves only the temp file, which the log deletes on open; after it, the
 * segment is complete (its header was durable before it got its name).
 *
 * <p>Used by the log's owning thread only; the preparing thread touches nothing but the temp file.
 */
final class SegmentPreallocator implements AutoCloseable {
  static final String FILE_NAME = "log.preallocating.tmp";
  private static final int CHUNK = 256 * 1024;
  private static final long FLUSH_BYTES = 4L << 20;

  private final Path file;
  private final long bytes;
  private final FileSyncer syncer;
  private final ThreadFactory threads;
  private Thread thread;
  private volatile boolean cancelled;
  private volatile IOException error;

  /** @param threads makes the preparing thread, one per file (a node's names it after the server) */
  SegmentPreallocator(Path dir, long bytes, FileSyncer syncer, ThreadFactory threads) {
    this.file = dir.resolve(FILE_NAME);
    this.bytes = bytes;
    this.syncer = syncer;
    this.threads = threads;
  }

  /** Deletes a temp file left by a run that stopped while preparing. */
  static void deleteLeftover(Path dir) throws IOException {
    Files.deleteIfExists(dir.resolve(FILE_NAME));
  }

  /** Whether a file is being prepared or is ready. */
  boolean started() {
    return thread != null;
  }

  /** Starts preparing the next segment file in the background, unless that has started already. */
  void start() {
    if (thread != null) {
      return;
    }
    cancelled = false;
    error = null;
    thread = threads.newThread(this::prepare);
    thread.start();
  }

  private void prepare() {
    ByteBuffer zeros = ByteBuffer.allocate(CHUNK);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      long flushed = 0;
      for (long off = 0; off < bytes && !cancelled; ) {
        zeros.clear().limit((int) Math.min(CHUNK, bytes - off));
        off += ch.write(zeros, off);
        if (off - flushed >= FLUSH_BYTES || off >= bytes) {
          // Flushes the zeros and their block allocation here, through the journal, so that the fdatasync of the
          // header in install (which alone makes the segment durable) finds little left to write; a few MiB at a
          // time, so that the log's own fsyncs never queue behind a whole segment of zeros. Not through the
          // syncer: no ack depends on it, and a test's counted or failing fsync must be the log's own.
          ch.force(false);
          flushed = off;
        }
      }
    } catch (IOException e) {
      error = e;
    }
  }

  /**
   * Makes the prepared file (waiting for it, or preparing it now if that never started) the segment of {@code
   * base} and returns its path, durable and named. Afterwards a next file may be started.
   *
   * @throws IOException if preparing or installing failed; no segment file of {@code base} exists then
   */
  Path install(Path dir, Zxid base) throws IOException {
    start();
    awaitThread();
    IOException e = error;
    if (e != null) {
      Files.deleteIfExists(file);
      throw e;
    }
    Path target = SegmentFormat.fileFor(dir, base);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ByteBuffer h = SegmentFormat.header(base);
      for (long off = 0; h.hasRemaining(); ) {
        off += ch.write(h, off);
      }
      syncer.syncData(ch);
    }
    Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
    syncer.syncDirectory(dir);
    return target;
  }

  private void awaitThread() {
    boolean interrupted = false;
    while (thread != null) {
      try {
        thread.join();
        thread = null;
      } catch (InterruptedException ie) {
        interrupted = true; // the file must be complete before it is used or deleted
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops preparing and deletes the temp file. */
  @Override
  public void close() {
    cancelled = true;
    awaitThread();
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // deleted on the next open
    }
  }
}
