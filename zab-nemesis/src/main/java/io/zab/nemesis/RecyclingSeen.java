package io.zab.nemesis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How often the servers of a run rolled their log into a recycled segment file, and how often a start found a
 * recycled segment's end after a kill or restart, counted from their logs ({@code node-<id>.log}, INFO lines of
 * the txn log). The run uses small segments so that both happen under the faults; a count of zero says the run did
 * not exercise recycled segments at all.
 *
 * @param rolls rolls into a recycled file
 * @param recoveries recycled segments whose end a start found (bytes of the file's previous life cut)
 */
record RecyclingSeen(int rolls, int recoveries) {
  static final String ROLL = "reuses a recycled file";
  static final String RECOVERY = "Recycled segment ";

  /** Counts both in every {@code node-*.log} of {@code dir}. */
  static RecyclingSeen in(Path dir) throws IOException {
    int rolls = 0;
    int recoveries = 0;
    try (DirectoryStream<Path> logs = Files.newDirectoryStream(dir, "node-*.log")) {
      for (Path log : logs) {
        List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
        for (String line : lines) {
          if (line.contains(ROLL)) {
            rolls++;
          } else if (line.contains(RECOVERY)) {
            recoveries++;
          }
        }
      }
    }
    return new RecyclingSeen(rolls, recoveries);
  }

  String describe() {
    return "log segments: " + rolls + " rolls into recycled files, " + recoveries
        + " recycled segments recovered at a start";
  }
}
