package io.zab.nemesis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiConsumer;

/** The servers' own logs of a run ({@code node-<id>.log} in its directory), line by line. */
final class ServerLogs {
  private ServerLogs() {}

  /** Calls {@code line} with each server log's file name and each of its lines, in file order. */
  static void forEachLine(Path dir, BiConsumer<String, String> line) throws IOException {
    try (DirectoryStream<Path> logs = Files.newDirectoryStream(dir, "node-*.log")) {
      for (Path log : logs) {
        String name = log.getFileName().toString();
        for (String l : Files.readAllLines(log, StandardCharsets.ISO_8859_1)) {
          line.accept(name, l);
        }
      }
    }
  }
}
