package io.zab.storage;

import java.io.IOException;
import java.nio.file.Path;

/** A small state file (such as the epoch file) is torn or fails its checksum; it is never read as zero. */
public final class CorruptStateException extends IOException {
  private final Path file;

  public CorruptStateException(Path file, String problem) {
    super(file + ": " + problem);
    this.file = file;
  }

  public Path file() {
    return file;
  }
}
