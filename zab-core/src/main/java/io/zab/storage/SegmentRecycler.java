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
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small pool of log segment files that compaction, a truncate or a reset no longer needed, kept to become later
 * segments (version 4, see {@link SegmentFormat}) instead of being deleted: their blocks are allocated and written
 * already, so the log's fdatasyncs in them have no file size or block allocation to commit, and no zeros are written to
 * prepare them. What the records in such a file were (compacted, truncated or newer than a reset's base) does not
 * matter: the pool is never read, and a file leaves it with a fresh salt under which none of them is valid.
 *
 * <p>Pool files are named {@code log.recycled.<n>}, which is not a segment name: recovery never reads them. A file
 * joins the pool by a rename (the caller fsyncs the directory); it leaves it by {@link #take}, which first writes the
 * new segment's header (with a fresh random salt) over the old one and makes it durable, then renames the file to the
 * segment's name and fsyncs the directory. A crash before that rename leaves a pool file whose header nobody reads; a
 * crash after it leaves a segment whose records (none yet) end at its header, as recovery finds (the old records fail
 * their checksums under the new salt).
 *
 * <p>The directory fsync that makes a file's move into the pool durable may be left to another thread (a compaction's
 * {@link PendingDirectorySync}): until {@link #renamesDurable} says it ran, {@link #take} fsyncs the directory itself
 * before overwriting such a file's header, or a crash could bring back the segment's old name over the new header.
 *
 * <p>Used by the log's owning thread only, but for {@link #renamesDurable}.
 */
final class SegmentRecycler {
  static final String PREFIX = "log.recycled.";
  private final Path dir;
  private final long minBytes;
  private final int capacity;
  private final FileSyncer syncer;
  private final SecureRandom random = new SecureRandom();
  private final List<Pooled> pool = new ArrayList<>();
  /** Counts the moves into the pool. */
  private long lastMove;
  /** The last move into the pool known to be durable (a directory fsync after it ran). */
  private final AtomicLong durableMove = new AtomicLong();

  /**
   * Opens the pool of {@code dir}: keeps up to {@code capacity} files of at least {@code minBytes} already there and
   * deletes the others (0 when recycling is off: a pool left by an earlier run is deleted).
   */
  SegmentRecycler(Path dir, long minBytes, int capacity, FileSyncer syncer) throws IOException {
    this.dir = dir;
    this.minBytes = minBytes;
    this.capacity = capacity;
    this.syncer = syncer;
    boolean deleted = false;
    for (Path p : Directories.list(dir, PREFIX + "*")) {
      if (pool.size() < capacity && Files.size(p) >= minBytes) {
        pool.add(new Pooled(p, 0)); // there before this run: durable
      } else {
        Files.delete(p);
        deleted = true;
      }
    }
    if (deleted) {
      syncer.syncDirectory(dir);
    }
  }

  private Path poolName(int n) {
    return dir.resolve(PREFIX + n);
  }

  /** How many files the pool holds. */
  int size() {
    return pool.size();
  }

  /**
   * Puts a segment file no longer needed into the pool, or deletes it if the pool is full or the file is smaller
   * than a recycled file must be. Returns whether it was kept. The caller fsyncs the directory (then calls {@link
   * #renamesDurable}, if not on this thread before the next {@link #take}).
   */
  boolean recycle(Path segment) throws IOException {
    if (pool.size() < capacity && Files.size(segment) >= minBytes) {
      Path target = freeName();
      Files.move(segment, target, StandardCopyOption.ATOMIC_MOVE);
      pool.add(new Pooled(target, ++lastMove));
      return true;
    }
    Files.delete(segment);
    return false;
  }

  /** The moves into the pool so far: pass it to {@link #renamesDurable} once a directory fsync after them ran. */
  long moves() {
    return lastMove;
  }

  /** A directory fsync made the moves up to {@code move} durable. Any thread. */
  void renamesDurable(long move) {
    durableMove.accumulateAndGet(move, Math::max);
  }

  private Path freeName() {
    for (int n = 0; ; n++) {
      Path p = poolName(n);
      if (pool.stream().noneMatch(f -> f.file().equals(p))) {
        return p;
      }
    }
  }

  /** A file in the pool and the move into the pool that brought it there (0: there before this run). */
  private record Pooled(Path file, long move) {}

  /** A pool file made into the segment of {@code base}, durably: its path and salt. */
  record Taken(Path file, long salt) {}

  /**
   * Makes a pool file the (empty) segment of {@code base}: writes its version 4 header with a fresh salt, fdatasyncs
   * it, renames it to the segment's name and fsyncs the directory. Returns null if the pool is empty.
   */
  Taken take(Zxid base) throws IOException {
    if (pool.isEmpty()) {
      return null;
    }
    Pooled taken = pool.remove(pool.size() - 1);
    Path file = taken.file();
    if (taken.move() > durableMove.get()) {
      // its move in is not durable yet (the compaction's fsync is still to run): a crash must not find the old
      // segment name on a file whose header this overwrites
      syncer.syncDirectory(dir);
      renamesDurable(lastMove);
    }
    long salt = random.nextLong();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ByteBuffer h = SegmentFormat.saltedHeader(base, salt);
      for (long off = 0; h.hasRemaining(); ) {
        off += ch.write(h, off);
      }
      syncer.syncData(ch);
    }
    Path target = SegmentFormat.fileFor(dir, base);
    Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
    syncer.syncDirectory(dir);
    return new Taken(target, salt);
  }
}
