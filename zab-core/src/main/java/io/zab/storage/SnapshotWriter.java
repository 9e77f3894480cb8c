package io.zab.storage;

import io.zab.FileSyncer;
import io.zab.Zxid;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Streams one snapshot to a temp file; {@link #commit()} makes it durable and visible under its final name,
 * {@link #abort()} (or {@link #close()} without commit) throws it away. Not thread-safe.
 */
public final class SnapshotWriter implements AutoCloseable {
  private final Path temp;
  private final Path target;
  private final FileSyncer syncer;
  private final FileChannel channel;
  private final CRC32C crc = new CRC32C();
  private final OutputStream out;
  private long length;
  private boolean finished;

  SnapshotWriter(Path temp, Path target, FileSyncer syncer) throws IOException {
    this.temp = temp;
    this.target = target;
    this.syncer = syncer;
    this.channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING);
    OutputStream counting = new FilterOutputStream(Channels.newOutputStream(channel)) {
      @Override
      public void write(int b) throws IOException {
        crc.update(b);
        length++;
        out.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        crc.update(b, off, len);
        length += len;
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        flush(); // the writer closes the file itself on commit or abort
      }
    };
    this.out = new BufferedOutputStream(counting, 64 * 1024);
  }

  /** Where to write the snapshot's bytes; closing it does not commit. */
  public OutputStream output() {
    return out;
  }

  /** Appends the trailer, fsyncs, renames to the final name and fsyncs the directory; returns the file. */
  public Path commit() throws IOException {
    if (finished) {
      throw new IllegalStateException("snapshot " + target + " already committed or aborted");
    }
    try {
      out.flush();
      var trailer = SnapshotFormat.trailer(length, (int) crc.getValue());
      while (trailer.hasRemaining()) {
        channel.write(trailer);
      }
      channel.force(true);
      channel.close();
      AtomicFiles.moveDurably(temp, target, syncer);
      finished = true;
      return target;
    } catch (IOException | RuntimeException e) {
      abort();
      throw e;
    }
  }

  /** Discards the temp file. Idempotent; does nothing after a successful commit. */
  public void abort() throws IOException {
    if (finished) {
      return;
    }
    finished = true;
    channel.close();
    Files.deleteIfExists(temp);
  }

  /** Aborts unless committed. */
  @Override
  public void close() throws IOException {
    abort();
  }

  /** The zxid this snapshot covers. */
  public Zxid zxid() {
    return SnapshotFormat.zxidOf(target);
  }
}
