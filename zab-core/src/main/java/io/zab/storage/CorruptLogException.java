package io.zab.storage;

import java.io.IOException;
import io.zab.Zxid;
import java.nio.file.Path;

/**
 * The log on disk is damaged in a way a crash cannot explain (a bad record followed by valid data, a zxid gap,
 * a non-increasing zxid, a bad segment header). Opening fails and nothing on disk is changed, so an operator or
 * the protocol can recover the data from peers instead of the node silently dropping it.
 */
public final class CorruptLogException extends IOException {
  private final Path file;
  private final long offset;
  private final Zxid lastGood;

  public CorruptLogException(Path file, long offset, String problem) {
    this(file, offset, problem, null);
  }

  /**
   * Damage a server can repair from its ensemble ({@code lastGood} not null): a record (or segment header) that fails
   * its length or checksum check, with valid data after it. Everything up to {@code lastGood} before it is sound.
   */
  public CorruptLogException(Path file, long offset, String problem, Zxid lastGood) {
    super(file + " at byte offset " + offset + ": " + problem);
    this.file = file;
    this.offset = offset;
    this.lastGood = lastGood;
  }

  /**
   * The last sound zxid before the damage when the damage is a failed record (repairable: see docs/protocol.md,
   * repair), or null when the log is wrong in a way repair must not touch (zxid gaps, bad headers, a newer format).
   */
  public Zxid lastGood() {
    return lastGood;
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
