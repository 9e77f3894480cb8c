package io.zab.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks at start that a directory accepts new files, so that a directory the server cannot write (another
 * owner, a read-only mount) fails the start naming it, instead of failing later at the first snapshot, epoch
 * change or log segment. The probe file is removed again; a leftover one (a crash midway) is harmless.
 */
public final class WritableCheck {
  static final String PROBE = "write-probe.tmp";

  private WritableCheck() {}

  /**
   * @throws IOException naming {@code dir} if a file cannot be created, written and deleted in it
   */
  public static void require(Path dir) throws IOException {
    Path probe = dir.resolve(PROBE);
    try {
      Files.write(probe, new byte[] {0});
      Files.delete(probe);
    } catch (IOException e) {
      throw new IOException("cannot write in " + dir + " (" + e + "); the data directory and its sub-directories"
          + " must be writable by this process", e);
    }
  }
}
