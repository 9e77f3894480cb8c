package io.zab.storage;

import io.zab.Zxid;
import java.nio.file.Path;

/** File names of the form {@code <prefix><16 hex digits of a zxid>}, which sort in zxid order. */
final class ZxidFileNames {
  private ZxidFileNames() {}

  static String glob(String prefix) {
    return prefix + "?".repeat(16);
  }

  static Path fileFor(Path dir, String prefix, Zxid zxid) {
    return dir.resolve(prefix + String.format("%016x", zxid.value()));
  }

  /** The zxid in a file name, or null if the name does not have the form. */
  static Zxid parse(String prefix, Path file) {
    String name = file.getFileName().toString();
    if (!name.startsWith(prefix) || name.length() != prefix.length() + 16) {
      return null;
    }
    try {
      return new Zxid(Long.parseUnsignedLong(name.substring(prefix.length()), 16));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
