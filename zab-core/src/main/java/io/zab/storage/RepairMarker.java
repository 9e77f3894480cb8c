package io.zab.storage;

import io.zab.FileSyncer;
import io.zab.Zxid;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The durable "repairing" marker ({@code dataDir/repairing}): while it exists the server repairs a damaged log and
 * must not vote (docs/protocol.md, repair), across any number of restarts. Written whole and fsynced before the damaged
 * files are set aside, deleted durably once a leader synced the server past {@link Content#lastLogged()}.
 *
 * <p>Text, one {@code key=value} a line, the last line {@code crc=} of the others (CRC32C), so that an operator can
 * read it and a damaged marker is refused rather than guessed at.
 */
public final class RepairMarker {
  /** The marker's file name in the data directory. */
  public static final String FILE = "repairing";

  /**
   * What a marker says.
   *
   * @param lastLogged the highest zxid the server can prove it had logged before the damage
   * @param epoch the highest epoch it may have acknowledged a txn in (its accepted epoch when the damage was found)
   * @param cause the damage: file, offset, problem, and what was set aside
   */
  public record Content(Zxid lastLogged, long epoch, String cause) {
    /** This damage, found while {@code repairing} was still in progress: the repair must get past both. */
    public Content merge(Optional<Content> repairing) {
      return repairing.map(old -> new Content(Zxid.max(old.lastLogged(), lastLogged), Math.max(old.epoch(), epoch),
          cause)).orElse(this);
    }
  }

  private RepairMarker() {}

  /**
   * The marker of {@code dataDir}, if any.
   *
   * @throws IOException if it exists but is damaged (naming the file): the server must not guess whether to vote
   */
  public static Optional<Content> read(Path dataDir) throws IOException {
    Path file = dataDir.resolve(FILE);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    String text = Files.readString(file, StandardCharsets.UTF_8);
    int crcAt = text.lastIndexOf("crc=");
    Map<String, String> fields = new HashMap<>();
    try {
      if (crcAt < 0 || crc(text.substring(0, crcAt)) != Long.parseLong(text.substring(crcAt + 4).trim(), 16)) {
        throw new NumberFormatException("checksum mismatch");
      }
      for (String line : text.substring(0, crcAt).split("\n")) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          fields.put(line.substring(0, eq), line.substring(eq + 1));
        }
      }
      return Optional.of(new Content(new Zxid(Long.parseUnsignedLong(fields.get("lastLogged"), 16)),
          Long.parseLong(fields.get("epoch")), fields.getOrDefault("cause", "")));
    } catch (RuntimeException e) {
      throw new IOException(file + " is damaged (" + e.getMessage() + "): it records that this server is repairing a"
          + " damaged log and must not vote until a leader syncs it, but not up to where. Restore the file from a"
          + " backup, or move this server's data directory aside and restart it empty to resync from the leader", e);
    }
  }

  /** Writes (or replaces) the marker durably. */
  public static void write(Path dataDir, Content content, FileSyncer syncer) throws IOException {
    String body = "lastLogged=" + Long.toHexString(content.lastLogged().value()) + "\n"
        + "epoch=" + content.epoch() + "\n"
        + "cause=" + content.cause().replace('\n', ' ') + "\n";
    String text = body + "crc=" + Long.toHexString(crc(body)) + "\n";
    AtomicFiles.replace(dataDir.resolve(FILE), ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), syncer);
  }

  /** Deletes the marker durably (the repair is over). */
  public static void clear(Path dataDir, FileSyncer syncer) throws IOException {
    if (Files.deleteIfExists(dataDir.resolve(FILE))) {
      Directories.sync(dataDir, syncer);
    }
  }

  private static long crc(String s) {
    CRC32C c = new CRC32C();
    c.update(s.getBytes(StandardCharsets.UTF_8));
    return c.getValue();
  }
}
