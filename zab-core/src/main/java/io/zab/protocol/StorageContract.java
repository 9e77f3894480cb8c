package io.zab.protocol;

import io.zab.Zxid;
import io.zab.wire.Txn;
import java.util.List;
import java.util.function.Consumer;

/**
 * The storage half of {@link Action}'s contract for a disk kept in memory: the protocol tests' harness and the
 * testkit's simulator both carry out Append, Truncate, SaveAcceptedEpoch, SaveCurrentEpoch and RepairDone through
 * {@link #carryOut}, so they mean the same in both, with the same check that a saved epoch never goes back. The
 * runtime does not use it (its log and epoch files are asynchronous and real). Snapshots stay with each harness: what
 * a snapshot holds differs between them.
 */
public interface StorageContract {
  /**
   * Appends txns to the log, unsynced: durable only once an fsync covers them ({@link Event.Persisted}).
   *
   * @param txns consecutive zxids continuing the log
   */
  void append(List<Txn> txns);

  /**
   * Drops every logged txn after {@code after}, durably, before any later append.
   *
   * @param after the last zxid kept
   */
  void truncateAfter(Zxid after);

  /**
   * The accepted epoch on disk.
   *
   * @return the last one saved
   */
  long acceptedEpoch();

  /**
   * The current epoch on disk.
   *
   * @return the last one saved
   */
  long currentEpoch();

  /**
   * Saves the accepted epoch durably (before the next action).
   *
   * @param epoch the accepted epoch
   */
  void saveAcceptedEpoch(long epoch);

  /**
   * Saves the current epoch durably (before the next action).
   *
   * @param epoch the current epoch
   */
  void saveCurrentEpoch(long epoch);

  /** Deletes the repairing marker durably (before the next action). */
  void repairDone();

  /**
   * Carries out {@code action} on {@code disk} if it is a storage action.
   *
   * @param action one action of the core, in list order
   * @param disk the disk it acts on
   * @param epochRegression told what is wrong when an epoch would be saved below the one on disk (it is saved anyway,
   *     so the run shows what follows)
   * @return true if {@code action} was a storage action and is carried out; false for any other
   */
  static boolean carryOut(Action action, StorageContract disk, Consumer<String> epochRegression) {
    if (action instanceof Action.Append a) {
      disk.append(a.txns());
    } else if (action instanceof Action.Truncate t) {
      disk.truncateAfter(t.after());
    } else if (action instanceof Action.SaveAcceptedEpoch e) {
      if (e.epoch() < disk.acceptedEpoch()) {
        epochRegression.accept("acceptedEpoch saved as " + e.epoch() + " below " + disk.acceptedEpoch());
      }
      disk.saveAcceptedEpoch(e.epoch());
    } else if (action instanceof Action.SaveCurrentEpoch e) {
      if (e.epoch() < disk.currentEpoch()) {
        epochRegression.accept("currentEpoch saved as " + e.epoch() + " below " + disk.currentEpoch());
      }
      disk.saveCurrentEpoch(e.epoch());
    } else if (action instanceof Action.RepairDone) {
      disk.repairDone();
    } else {
      return false;
    }
    return true;
  }
}
