package io.zab.storage;

import io.zab.FileSyncer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The directory fsync that a log compaction ({@link TxnLog#dropSegmentsBefore}) left to the caller, so that the
 * log's owning thread, which also appends and fsyncs what is acknowledged, does not wait for it. Run it once, on
 * any thread, before anything else is dropped from the same log: segments are dropped oldest first and the fsync
 * makes all of them durable together, so a crash never brings back a later dropped segment without the earlier
 * ones (a gap recovery would call damage). Until it has run the log does not reuse a file it recycled (see
 * {@link SegmentRecycler#take}). If it fails, the log is failed for good, as when it fsyncs the directory itself.
 */
public final class PendingDirectorySync {
  /** Nothing was dropped: nothing to sync. */
  static final PendingDirectorySync NONE = new PendingDirectorySync(null, null, null, null);

  private final Path dir;
  private final FileSyncer syncer;
  private final Runnable onSynced;
  private final Consumer<IOException> onFailed;

  PendingDirectorySync(Path dir, FileSyncer syncer, Runnable onSynced,
      Consumer<IOException> onFailed) {
    this.dir = dir;
    this.syncer = syncer;
    this.onSynced = onSynced;
    this.onFailed = onFailed;
  }

  /** Whether there is an fsync to run. */
  public boolean due() {
    return dir != null;
  }

  /**
   * Fsyncs the log directory (nothing if not {@link #due()}).
   *
   * @throws IOException if the fsync failed; the log then refuses every later command
   */
  public void run() throws IOException {
    if (dir == null) {
      return;
    }
    try {
      Directories.sync(dir, syncer);
    } catch (IOException e) {
      onFailed.accept(e);
      throw e;
    }
    onSynced.run();
  }
}
