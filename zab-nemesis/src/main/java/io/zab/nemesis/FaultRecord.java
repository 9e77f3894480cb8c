package io.zab.nemesis;

/**
 * What one fault episode did: its kind and description, from its start to the moment it was healed
 * (run time, us), how many partitions, kills and pauses it applied, a note (e.g. whether a snapshot was
 * installed), and how long after the heal every server served again ({@code -1}: not within the patience).
 */
record FaultRecord(int round, String kind, String description, long startMicros, long healMicros, int partitions,
    int kills, int pauses, String note, long recoveryMicros) {

  FaultRecord(int round, String kind, String description, long startMicros, long healMicros, int partitions, int kills,
      int pauses, String note) {
    this(round, kind, description, startMicros, healMicros, partitions, kills, pauses, note, -1);
  }

  FaultRecord recovered(String newNote, long micros) {
    return new FaultRecord(round, kind, description, startMicros, healMicros, partitions, kills, pauses,
        newNote != null ? newNote : note, micros);
  }
}
