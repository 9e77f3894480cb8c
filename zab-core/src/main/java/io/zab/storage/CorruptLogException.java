package io.zab.storage;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The log on disk is damaged in a way a crash cannot explain (a bad record followed by valid data, a zxid gap,
 * a non-increasing zxid, a bad segment header). Opening fails and nothing on disk is changed, so an operator or
 * the protocol can recover the data from peers instead of the node silently dropping it.
 */
public final class CorruptLogException extends IOException {
  private final Path file;
  private final long offset;

  public CorruptLogException(Path file, long offset, String problem) {
    super(file + " at byte offset " + offset + ": " + problem);
    this.file = file;
    this.offset = offset;
  }

  /** The damaged segment file. */
  public Path file() {
    return file;
  }

  /** The byte offset in {@link #file()} where the damage starts. */
  public long offset() {
    return offset;
  }
}
