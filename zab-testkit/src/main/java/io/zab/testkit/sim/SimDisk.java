package io.zab.testkit.sim;

import io.zab.Zxid;
import io.zab.wire.Message.SnapChunk;
import io.zab.wire.Txn;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * One server's disk. Appends become durable only when a group fsync (started when the first unsynced append
 * arrives, covering everything queued by then) completes after a random delay; a crash loses the unsynced
 * appends (sometimes a prefix the OS happened to flush survives; the write after it is torn, so lost). Epoch saves,
 * truncations and snapshots are durable at once, as the action contract requires for epochs and snapshots;
 * truncation is modelled as synchronous (truncate + fsync) too.
 */
public final class SimDisk {
  private record Pending(long seq, Txn txn) {}

  private static final int SNAPSHOTS_KEPT = 4;

  private final long server;
  private final Scheduler scheduler;
  private final SplittableRandom random;
  private final Violations violations;
  private final long fsyncMinMicros;
  private final long fsyncMaxMicros;
  private final DiskFaults faults;

  private long acceptedEpoch;
  private long currentEpoch;
  private Zxid snapshotZxid = Zxid.ZERO;
  private final Map<Zxid, byte[]> snapshots = new LinkedHashMap<>();
  private final List<Txn> durable = new ArrayList<>();
  private final List<Pending> pending = new ArrayList<>();
  private long appendSeq;
  private boolean fsyncRunning;
  /** Bumped on crash so that an fsync in flight at the crash never completes. */
  private long generation;
  private ByteArrayOutputStream incoming;
  private Zxid incomingZxid;
  private Consumer<Zxid> onPersisted = z -> {};
  private long fsyncs;

  public SimDisk(long server, Scheduler scheduler, SplittableRandom random, Violations violations,
      long fsyncMinMicros, long fsyncMaxMicros, DiskFaults faults, byte[] emptySnapshot) {
    this.server = server;
    this.scheduler = scheduler;
    this.random = random;
    this.violations = violations;
    this.fsyncMinMicros = fsyncMinMicros;
    this.fsyncMaxMicros = fsyncMaxMicros;
    this.faults = faults;
    snapshots.put(Zxid.ZERO, emptySnapshot.clone());
  }

  /** Where {@code Persisted} notifications go (the running incarnation of the server). */
  public void onPersisted(Consumer<Zxid> listener) {
    this.onPersisted = listener;
  }

  public long fsyncs() {
    return fsyncs;
  }

  /** The last zxid of the log as the server sees it (durable or not). */
  public Zxid lastZxid() {
    if (!pending.isEmpty()) {
      return pending.get(pending.size() - 1).txn.zxid();
    }
    return durable.isEmpty() ? snapshotZxid : durable.get(durable.size() - 1).zxid();
  }

  /** The last zxid that is durable (what a crash right now would keep at least). */
  public Zxid durableLastZxid() {
    return durable.isEmpty() ? snapshotZxid : durable.get(durable.size() - 1).zxid();
  }

  public void append(List<Txn> txns) {
    Zxid last = lastZxid();
    for (Txn t : txns) {
      if (!t.zxid().isAfter(last)) {
        violations.report("LogZxidOrder", server, "append of " + t.zxid() + " after " + last
            + ": zxids must strictly increase in every log");
      } else if (t.zxid().epoch() == last.epoch() && t.zxid().counter() != last.counter() + 1) {
        violations.report("LogZxidOrder", server, "append of " + t.zxid() + " after " + last
            + " leaves a gap within epoch " + last.epoch());
      }
      pending.add(new Pending(appendSeq++, t));
      last = t.zxid();
    }
    if (txns.isEmpty()) {
      return;
    }
    if (faults == DiskFaults.ACK_BEFORE_FSYNC) {
      Zxid acked = last;
      long gen = generation;
      scheduler.after(0, () -> {
        if (gen == generation) {
          onPersisted.accept(acked);
        }
      });
    }
    startFsyncIfIdle();
  }

  private void startFsyncIfIdle() {
    if (fsyncRunning || pending.isEmpty()) {
      return;
    }
    fsyncRunning = true;
    long coveredSeq = pending.get(pending.size() - 1).seq;
    long gen = generation;
    scheduler.after(random.nextLong(fsyncMinMicros, fsyncMaxMicros + 1), () -> {
      if (gen == generation) {
        fsyncDone(coveredSeq);
      }
    });
  }

  private void fsyncDone(long coveredSeq) {
    fsyncRunning = false;
    fsyncs++;
    Zxid synced = null;
    while (!pending.isEmpty() && pending.get(0).seq <= coveredSeq) {
      Txn t = pending.remove(0).txn;
      durable.add(t);
      synced = t.zxid();
    }
    if (synced != null && faults == DiskFaults.CORRECT) {
      onPersisted.accept(synced);
    }
    startFsyncIfIdle();
  }

  /** Drops every txn after {@code after}, durably. */
  public void truncate(Zxid after) {
    pending.removeIf(p -> p.txn.zxid().isAfter(after));
    durable.removeIf(t -> t.zxid().isAfter(after));
    if (after.isBefore(snapshotZxid)) {
      violations.report("ActionContract", server, "truncate to " + after + " below the snapshot at "
          + snapshotZxid + ": committed state cannot be truncated");
    }
  }

  public void saveAcceptedEpoch(long epoch) {
    acceptedEpoch = epoch;
  }

  public void saveCurrentEpoch(long epoch) {
    currentEpoch = epoch;
  }

  public long acceptedEpoch() {
    return acceptedEpoch;
  }

  public long currentEpoch() {
    return currentEpoch;
  }

  public Zxid snapshotZxid() {
    return snapshotZxid;
  }

  /** Stores a snapshot of the applied state at {@code zxid} durably and drops the log up to it. */
  public void saveSnapshot(Zxid zxid, byte[] state) {
    snapshots.put(zxid, state.clone());
    while (snapshots.size() > SNAPSHOTS_KEPT) {
      snapshots.remove(snapshots.keySet().iterator().next());
    }
    snapshotZxid = zxid;
    durable.removeIf(t -> !t.zxid().isAfter(zxid));
    pending.removeIf(p -> !p.txn.zxid().isAfter(zxid));
  }

  /** The stored snapshot taken at {@code zxid}, or null when it is no longer (or never was) kept. */
  public byte[] snapshotAt(Zxid zxid) {
    byte[] s = snapshots.get(zxid);
    return s == null ? null : s.clone();
  }

  /**
   * Stores one received snapshot chunk; on the last one makes the snapshot durable, resets the log to start
   * after it and returns the complete snapshot (null before the last chunk).
   */
  public byte[] installChunk(SnapChunk chunk) {
    if (chunk.offset() == 0) {
      incoming = new ByteArrayOutputStream();
      incomingZxid = chunk.snapshotZxid();
    }
    if (incoming == null || !chunk.snapshotZxid().equals(incomingZxid) || chunk.offset() != incoming.size()) {
      violations.report("ActionContract", server, "snapshot chunk " + chunk + " does not continue the transfer ("
          + (incoming == null ? "none started" : incomingZxid + " at offset " + incoming.size()) + ")");
      return null;
    }
    incoming.writeBytes(chunk.data());
    if (!chunk.last()) {
      return null;
    }
    byte[] state = incoming.toByteArray();
    incoming = null;
    durable.clear();
    pending.clear();
    fsyncRunning = false;
    generation++;
    snapshotZxid = chunk.snapshotZxid();
    snapshots.put(snapshotZxid, state.clone());
    return state;
  }

  public void discardIncomingSnapshot() {
    incoming = null;
  }

  /**
   * Crash: unsynced appends are lost; one time in four the OS had flushed a random prefix of them, and the
   * write after that prefix is torn, so lost.
   */
  public void crash() {
    int survive = pending.isEmpty() || random.nextInt(4) != 0 ? 0 : random.nextInt(pending.size() + 1);
    for (int i = 0; i < survive; i++) {
      durable.add(pending.get(i).txn);
    }
    pending.clear();
    fsyncRunning = false;
    incoming = null;
    generation++;
  }

  /** Clean shutdown: everything written so far reaches the disk. */
  public void flush() {
    for (Pending p : pending) {
      durable.add(p.txn);
    }
    pending.clear();
    fsyncRunning = false;
    incoming = null;
    generation++;
  }

  /** What a restarted server finds. */
  public DurableState durableState() {
    return new DurableState(acceptedEpoch, currentEpoch, snapshotZxid, snapshots.get(snapshotZxid).clone(), durable);
  }
}
