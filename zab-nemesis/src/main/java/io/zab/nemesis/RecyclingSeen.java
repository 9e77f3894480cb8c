package io.zab.nemesis;

import java.io.IOException;
import java.nio.file.Path;

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
    int[] counts = new int[2];
    ServerLogs.forEachLine(dir, (file, line) -> {
      if (line.contains(ROLL)) {
        counts[0]++;
      } else if (line.contains(RECOVERY)) {
        counts[1]++;
      }
    });
    return new RecyclingSeen(counts[0], counts[1]);
  }

  String describe() {
    return "log segments: " + rolls + " rolls into recycled files, " + recoveries
        + " recycled segments recovered at a start";
  }
}
