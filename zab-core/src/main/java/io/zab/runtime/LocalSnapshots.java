package io.zab.runtime;

import io.zab.StateMachine;
import io.zab.Zxid;
import io.zab.storage.SnapshotStore;
import io.zab.storage.SnapshotWriter;
import io.zab.wire.Membership;
import io.zab.wire.SnapshotHeader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * This server's snapshots on disk. Writing never deletes: the core may still name an older snapshot in a
 * SendSnapshot until it has handled the SnapshotTaken of a newer one, so only {@link SnapshotRetention}, when the
 * protocol thread has carried out the batch that told the core, retires old snapshots (on the snapshot thread).
 * Two are kept so that recovery can fall back to the older one if the newer fails verification.
 */
final class LocalSnapshots implements SnapshotWriting {
  static final int RETAINED = 2;

  private final SnapshotStore store;

  LocalSnapshots(SnapshotStore store) {
    this.store = store;
  }

  SnapshotStore store() {
    return store;
  }

  /**
   * Whether the snapshot directory has disappeared (the data directory was deleted under the running server),
   * which makes every snapshot operation fail for good.
   */
  boolean directoryGone() {
    return !Files.isDirectory(store.directory());
  }

  /** What a server says when it stops because {@link #directoryGone()}. */
  static String goneMessage(Path directory) {
    return "its snapshot directory " + directory + " is gone (was the data directory deleted while the server"
        + " ran?); move what is left of it aside and restart the server empty to resync from the leader";
  }

  @Override
  public void write(Zxid at, Membership membership, StateMachine.Snapshot snapshot) throws IOException {
    if (store.list().contains(at)) {
      return; // already stored (e.g. installed from the leader)
    }
    try (SnapshotWriter w = store.begin(at)) {
      w.output().write(SnapshotHeader.encode(membership));
      snapshot.writeTo(w.output());
      w.commit();
    }
  }

  @Override
  public InputStream open(Zxid at) throws IOException {
    return store.open(at);
  }

  /**
   * The oldest snapshot to keep among {@code ascending}, which is also where the log may be compacted: log
   * segments wholly at or below the older retained snapshot can go, so the log still reaches back past the
   * newest snapshot (recovery falls back to the older one if the newest fails verification).
   */
  static Optional<Zxid> compactionPoint(List<Zxid> ascending) {
    return ascending.size() >= RETAINED ? Optional.of(ascending.get(ascending.size() - RETAINED)) : Optional.empty();
  }

  /** Stored snapshot zxids, oldest first. */
  List<Zxid> sorted() throws IOException {
    List<Zxid> all = new ArrayList<>(store.list());
    Collections.sort(all);
    return all;
  }
}
