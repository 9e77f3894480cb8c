package io.zab.storage;

import java.io.IOException;
import java.nio.file.Path;

/** A snapshot file is truncated or fails its checksum. */
public final class CorruptSnapshotException extends IOException {
  private final Path file;

  public CorruptSnapshotException(Path file, String problem) {
    super(file + ": " + problem);
    this.file = file;
  }

  public Path file() {
    return file;
  }
}
