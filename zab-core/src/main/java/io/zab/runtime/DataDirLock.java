package io.zab.runtime;

import io.zab.FileSyncer;
import io.zab.storage.Directories;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An exclusive lock on a server's data directory, held from start until every thread of the node has stopped,
 * so two servers (in one JVM or two) never write one log, and a restart cannot begin before the previous
 * instance has stopped writing (ZOOKEEPER-4712).
 */
final class DataDirLock implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DataDirLock.class);
  static final String FILE_NAME = "lock";

  private final FileChannel channel;
  private final FileLock lock;

  private DataDirLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock of {@code dataDir}.
   *
   * @throws IOException naming the directory if another running server holds it
   */
  static DataDirLock acquire(long serverId, Path dataDir, FileSyncer syncer) throws IOException {
    Directories.createDurably(dataDir, syncer);
    Path file = dataDir.resolve(FILE_NAME);
    FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock l;
    try {
      l = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      l = null; // held by another node in this JVM
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
    if (l == null) {
      ch.close();
      throw new IOException("server " + serverId + " cannot start: its data directory " + dataDir + " is in use by"
          + " another running server (lock " + file + " is held). Close that server first, or give each server"
          + " its own dataDir");
    }
    return new DataDirLock(ch, l);
  }

  /** Releases the lock. Idempotent. */
  @Override
  public void close() {
    try {
      if (lock.isValid()) {
        lock.release();
      }
      channel.close();
    } catch (IOException e) {
      log.warn("cannot release the data directory lock: {}", e.toString());
    }
  }
}
