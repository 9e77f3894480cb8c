package io.zab.storage;

import io.zab.FileSyncer;
import io.zab.Zxid;
import io.zab.wire.Txn;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Sets a damaged log aside so that a server can repair itself from its ensemble (docs/protocol.md, repair): what
 * precedes the damage stays in the log; the damaged segment and every later one move, whole and unchanged, into a
 * quarantine directory. Nothing is deleted. First {@link #inspect} (read-only) says how far the log provably went, so
 * that the caller records it durably before {@link #apply} changes anything.
 */
public final class LogQuarantine {

  /**
   * What the damaged log proves and what {@link #apply} moves.
   *
   * @param logDir the log directory
   * @param damagedFile the segment with the damage
   * @param damageOffset where the damage starts in it (everything before is sound and stays)
   * @param lastGood the last sound zxid before the damage
   * @param lastProvable the highest zxid of a valid record anywhere in the log, after the damage included
   * @param laterSegments the segments after the damaged one (set aside whole)
   */
  public record Plan(Path logDir, Path damagedFile, long damageOffset, Zxid lastGood, Zxid lastProvable,
                     List<Path> laterSegments) {}

  private LogQuarantine() {}

  /**
   * Reads what a repairable {@link CorruptLogException} leaves: the last sound zxid before the damage, and the highest
   * zxid of any valid record after it (in the damaged segment or later ones), which this server did log.
   *
   * @throws IllegalArgumentException if {@code damage} is not repairable ({@link CorruptLogException#lastGood()})
   */
  public static Plan inspect(Path logDir, CorruptLogException damage) throws IOException {
    if (damage.lastGood() == null) {
      throw new IllegalArgumentException("not a repairable damage: " + damage.getMessage());
    }
    Zxid provable = damage.lastGood();
    List<Path> later = new ArrayList<>();
    for (Segment s : LogRecovery.listSegments(logDir)) {
      if (s.base().isAfter(SegmentFormat.baseOf(damage.file()))) {
        later.add(s.file());
        provable = Zxid.max(provable, Zxid.max(s.base(), lastValid(s.file())));
      }
    }
    provable = Zxid.max(provable, lastValidAfter(damage.file(), damage.offset(), damage.lastGood()));
    return new Plan(logDir, damage.file(), damage.offset(), damage.lastGood(), provable, List.copyOf(later));
  }

  /**
   * Moves the damaged segment and the later ones into {@code quarantineDir} (named after the segment and the damage
   * offset) and puts back the sound prefix of the damaged segment, durably. Returns the quarantined files.
   */
  public static List<Path> apply(Plan plan, Path quarantineDir, FileSyncer syncer) throws IOException {
    Directories.createDurably(quarantineDir, syncer);
    List<Path> moved = new ArrayList<>();
    for (Path p : plan.laterSegments()) {
      moved.add(moveAside(p, quarantineDir, p.getFileName() + ".after-damage", syncer));
    }
    String name = plan.damagedFile().getFileName().toString();
    Path aside = moveAside(plan.damagedFile(), quarantineDir, name + ".damaged-at-" + plan.damageOffset(), syncer);
    moved.add(aside);
    if (plan.damageOffset() >= SegmentFormat.HEADER_BYTES) {
      Path tmp = plan.logDir().resolve(name + ".tmp");
      try (FileChannel in = FileChannel.open(aside, StandardOpenOption.READ);
           FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
               StandardOpenOption.TRUNCATE_EXISTING)) {
        long done = 0;
        while (done < plan.damageOffset()) {
          done += in.transferTo(done, plan.damageOffset() - done, out);
        }
        syncer.syncData(out);
      }
      Files.move(tmp, plan.damagedFile(), StandardCopyOption.ATOMIC_MOVE);
    }
    Directories.sync(plan.logDir(), syncer);
    return moved;
  }

  /**
   * Moves every segment of {@code logDir} into {@code quarantineDir} (the log cannot be used: a damaged snapshot left a
   * gap before it), durably; returns where they went. The caller reopens the log empty.
   */
  public static List<Path> setAsideAll(Path logDir, Path quarantineDir, FileSyncer syncer) throws IOException {
    Directories.createDurably(quarantineDir, syncer);
    List<Path> moved = new ArrayList<>();
    for (Segment s : LogRecovery.listSegments(logDir)) {
      moved.add(moveAside(s.file(), quarantineDir, s.file().getFileName() + ".after-damaged-snapshot", syncer));
    }
    return moved;
  }

  private static Path moveAside(Path file, Path quarantineDir, String name, FileSyncer syncer) throws IOException {
    Path target = quarantineDir.resolve(name);
    for (int n = 1; Files.exists(target); n++) {
      target = quarantineDir.resolve(name + "." + n);
    }
    Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
    Directories.sync(quarantineDir, syncer);
    Directories.sync(file.toAbsolutePath().getParent(), syncer);
    return target;
  }

  /** The zxid of the last valid record of {@code file} before any damage, or ZERO. */
  private static Zxid lastValid(Path file) throws IOException {
    Zxid last = Zxid.ZERO;
    try (SegmentScanner s = SegmentScanner.open(file, -1, SegmentFormat.MAX_PAYLOAD_ON_DISK)) {
      for (Txn t = s.next(); t != null; t = s.next()) {
        last = t.zxid();
      }
    } catch (CorruptLogException e) {
      return last; // a bad header proves nothing
    }
    return last;
  }

  /** The zxid of the last valid record after the damage in the damaged segment (see LogRecovery), or ZERO. */
  private static Zxid lastValidAfter(Path file, long offset, Zxid after) throws IOException {
    int version;
    long salt;
    try (SegmentScanner s = SegmentScanner.open(file, -1, SegmentFormat.MAX_PAYLOAD_ON_DISK)) {
      if (s.base() == null) {
        return Zxid.ZERO;
      }
      version = s.version();
      salt = s.salt();
    } catch (CorruptLogException e) {
      return Zxid.ZERO;
    }
    Zxid last = LogRecovery.lastValidAfter(file, offset + 1, Files.size(file), after, SegmentFormat.MAX_PAYLOAD_ON_DISK,
        version, salt);
    return last == null ? Zxid.ZERO : last;
  }
}
