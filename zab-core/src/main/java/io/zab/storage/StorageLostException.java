package io.zab.storage;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file the server writes to was deleted or replaced while it ran (its data directory was removed or moved):
 * writes to it are not durable any more, so the server must stop rather than acknowledge them.
 */
public final class StorageLostException extends IOException {
  private final Path file;

  public StorageLostException(Path file, String problem) {
    super(file + " " + problem + ": this server's data directory was deleted, moved or replaced while it was"
        + " running, so what it writes is no longer durable");
    this.file = file;
  }

  public Path file() {
    return file;
  }
}
