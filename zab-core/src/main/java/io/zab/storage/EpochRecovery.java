package io.zab.storage;

import io.zab.Zxid;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Decides, at start, which epochs a server recovers from the copies of its epoch file, or that it must refuse
 * to start. Pure (no I/O), so the runtime and the simulator apply the very same rules; the table of cases is in
 * docs/operations.md ("Corruption") and the safety argument in docs/protocol.md ("Epoch files").
 *
 * <p>The accepted epoch is a promise (S6): a server that forgets it may acknowledge an epoch it promised to
 * refuse, which can give one epoch two leaders or lose acknowledged writes. So a promise is forgotten only where
 * no promise can have been made: a data directory with no log or snapshot directory and no epoch copy left but
 * missing ones, i.e. brand new (or wholly wiped). Every copy is written before the epoch is announced, so any one
 * valid copy holds every announced promise; the newest of them is used and the others are rewritten.
 *
 * <pre>{@code
 * Decision d = EpochRecovery.decide(1, new Found(EpochStore.read(epochDir), "log", true, "snapshots", true, last));
 * if (d instanceof Refuse r) throw new IOException(r.reason());
 * }</pre>
 */
public final class EpochRecovery {
  /** What to do about it, appended to every refusal. */
  static final String ADVICE = " Nothing was changed on disk. If these files were moved or replaced by mistake, put"
      + " back the ones this server last wrote (an older backup is not enough). Otherwise move this server's whole"
      + " data directory aside and start it empty while the other servers have an established leader: it then"
      + " resyncs from that leader (docs/operations.md, Corruption).";

  /**
   * What a server's data directory holds at start.
   *
   * @param copies every copy of the epoch file
   * @param logDir the log directory (for messages)
   * @param logDirExists whether it existed before this start
   * @param snapshotDir the snapshot directory (for messages)
   * @param snapshotDirExists whether it existed before this start
   * @param newestStored the newest zxid in the log or in a valid snapshot ({@link Zxid#ZERO} if none)
   */
  public record Found(List<EpochCopy> copies, String logDir, boolean logDirExists, String snapshotDir,
      boolean snapshotDirExists, Zxid newestStored) {
    public Found {
      copies = List.copyOf(copies);
      Objects.requireNonNull(newestStored, "newestStored");
    }
  }

  /** The outcome: start with these epochs, or refuse. */
  public sealed interface Decision permits Start, Refuse {}

  /**
   * Start with these epochs.
   *
   * @param fresh a brand-new data directory: nothing was promised yet
   * @param repairs the copies to rewrite and why (empty when every copy holds these epochs)
   */
  public record Start(long acceptedEpoch, long currentEpoch, boolean fresh, List<String> repairs) implements Decision {
    public Start {
      repairs = List.copyOf(repairs);
    }
  }

  /** Refuse to start; {@code reason} names the files and says what to do. */
  public record Refuse(String reason) implements Decision {}

  private EpochRecovery() {}

  public static Decision decide(long serverId, Found found) {
    List<EpochCopy> valid = found.copies().stream().filter(EpochCopy::isValid).toList();
    boolean anyDamaged = found.copies().stream().anyMatch(c -> c.state() == EpochCopy.State.DAMAGED);
    boolean initialized = found.logDirExists() || found.snapshotDirExists();
    String refused = "server " + serverId + " refuses to start: ";
    if (valid.isEmpty()) {
      if (!initialized && !anyDamaged) {
        return new Start(0, 0, true, List.of());
      }
      return new Refuse(refused + "its epoch files " + describe(found.copies()) + " are all unusable, but its data"
          + " directory was in use (" + inUse(found) + "). They hold the epoch this server promised to the"
          + " leaders it accepted; starting without them could let it help elect a leader it promised to refuse,"
          + " and lose acknowledged writes." + ADVICE);
    }
    long accepted = valid.stream().mapToLong(EpochCopy::acceptedEpoch).max().orElseThrow();
    long current = valid.stream().mapToLong(EpochCopy::currentEpoch).max().orElseThrow();
    if (accepted > 0 && !(found.logDirExists() && found.snapshotDirExists())) {
      String gone = !found.logDirExists() ? found.logDir() : found.snapshotDir();
      return new Refuse(refused + "its epoch files " + describe(valid) + " show it took part in epoch " + accepted
          + ", but " + gone + " is missing: the transactions or snapshots it acknowledged were deleted." + ADVICE);
    }
    Zxid newest = found.newestStored();
    if (newest.epoch() > accepted) {
      return new Refuse(refused + "its epoch files " + describe(valid) + " are older than its data: they record"
          + " acceptedEpoch " + accepted + " but it stored " + newest + " of epoch " + newest.epoch() + " (in "
          + found.logDir() + " or " + found.snapshotDir() + "). The files were replaced by an older copy or lost"
          + " writes, so the promises made since are forgotten." + ADVICE);
    }
    List<String> repairs = new ArrayList<>();
    for (EpochCopy c : found.copies()) {
      if (!c.isValid()) {
        repairs.add(c.describe());
      } else if (c.acceptedEpoch() != accepted || c.currentEpoch() != current) {
        repairs.add(c.describe() + ": older than the other copy (a stop between the writes of the two copies)");
      }
    }
    return new Start(accepted, current, false, repairs);
  }

  private static String describe(List<EpochCopy> copies) {
    return copies.stream().map(EpochCopy::describe).collect(Collectors.joining(", "));
  }

  private static String inUse(Found f) {
    List<String> present = new ArrayList<>();
    if (f.logDirExists()) {
      present.add(f.logDir() + " exists");
    }
    if (f.snapshotDirExists()) {
      present.add(f.snapshotDir() + " exists");
    }
    if (!f.newestStored().equals(Zxid.ZERO)) {
      present.add("it stored transactions up to " + f.newestStored());
    }
    if (present.isEmpty()) {
      present.add("an epoch file is present but damaged");
    }
    return String.join(", ", present);
  }
}
