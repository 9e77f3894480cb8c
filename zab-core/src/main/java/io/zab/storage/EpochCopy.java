package io.zab.storage;

import java.util.Objects;

/**
 * One copy of a server's epoch file as found at start: the epochs it holds, or why it cannot be used.
 *
 * @param file where the copy lives (for messages)
 * @param state whether it was read whole, is missing, or is damaged
 * @param acceptedEpoch the accepted epoch (0 unless valid)
 * @param currentEpoch the current epoch (0 unless valid)
 * @param problem what is wrong ("missing", "checksum mismatch", ...); null when valid
 */
public record EpochCopy(String file, State state, long acceptedEpoch, long currentEpoch, String problem) {
  /** What was found. */
  public enum State { VALID, MISSING, DAMAGED }

  public EpochCopy {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(state, "state");
  }

  public static EpochCopy valid(String file, long acceptedEpoch, long currentEpoch) {
    return new EpochCopy(file, State.VALID, acceptedEpoch, currentEpoch, null);
  }

  public static EpochCopy missing(String file) {
    return new EpochCopy(file, State.MISSING, 0, 0, "missing");
  }

  public static EpochCopy damaged(String file, String problem) {
    return new EpochCopy(file, State.DAMAGED, 0, 0, Objects.requireNonNull(problem, "problem"));
  }

  public boolean isValid() {
    return state == State.VALID;
  }

  /** {@code file (problem)}, or {@code file (acceptedEpoch=a currentEpoch=c)} when valid. */
  public String describe() {
    return file + (isValid() ? " (acceptedEpoch=" + acceptedEpoch + " currentEpoch=" + currentEpoch + ")"
        : " (" + problem + ")");
  }
}
