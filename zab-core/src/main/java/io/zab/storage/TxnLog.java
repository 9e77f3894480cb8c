package io.zab.storage;

import io.zab.FileSyncer;
import io.zab.Zxid;
import io.zab.wire.Txn;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable, segmented, append-only transaction log of one node.
 *
 * <p>Appends are buffered; {@link #sync()} writes them and makes them durable with one fsync (group commit).
 * Only zxids up to {@link #durableZxid()} may be acknowledged. Opening recovers the directory: a torn tail from
 * a crash is cut, anything else damaged fails with {@link CorruptLogException}. After an I/O error while
 * writing or syncing the log is failed for good and every later write throws {@link LogFailedException}.
 *
 * <p>With {@link TxnLogOptions#preallocate} segments after the first are preallocated: a background thread writes
 * the next segment's file with zeros while the current one fills, so that appends overwrite zeros and their fsync
 * (fdatasync) flushes data blocks only; the log rolls to it at the segment size. Recovery tells the end of such a
 * segment by its zero-filled tail ({@link SegmentFormat}, version 3).
 *
 * <p>With {@link TxnLogOptions#recycle} the segments that {@link #deleteSegmentsBefore}, {@link #truncateAfter} and
 * {@link #resetTo} drop go to a small pool ({@link SegmentRecycler}) and the log rolls into one of them when it can: it
 * overwrites the file from the start, its records salted so that recovery tells them from the file's older records
 * ({@link SegmentFormat}, version 4).
 *
 * <p>Not thread-safe: one thread (the runtime's log thread, see {@link LogWriter}) owns it.
 *
 * <pre>{@code
 * try (TxnLog log = TxnLog.open(dir, TxnLogOptions.defaults())) {
 *   log.append(new Txn(Zxid.of(1, 1), payload));
 *   Zxid durable = log.sync(); // now safe to ack 0x1:0x1
 * }
 * }</pre>
 */
public final class TxnLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TxnLog.class);
  private static final int MIN_WRITE_BUFFER = 1 << 20;

  private final Path dir;
  private final TxnLogOptions options;
  private final FileSyncer syncer;
  private final List<Segment> segments;
  private final ByteBuffer writeBuf;
  private final CRC32C crc = new CRC32C();
  private final SaltedRecordChecks salted = new SaltedRecordChecks();
  private FileChannel active;
  /** The active segment's path and identity, checked after each fsync (a data directory deleted under us). */
  private Path activeFile;
  private Object activeKey;
  private long activeSize; // bytes written to the active segment plus bytes still in writeBuf
  /** The active segment's file size when it became active: above activeSize, zeros that appends overwrite. */
  private long activeAllocated;
  /** The active segment's format version, header size and salt (version 4): its records' checksums cover the salt. */
  private int activeVersion;
  private int activeHeaderBytes;
  private long activeSalt;
  /** Whether the active segment was preallocated or recycled (its blocks exist up to about the segment size). */
  private boolean activePrepared;
  private final SegmentPreallocator preallocator;
  private final SegmentRecycler recycler;
  private Zxid lastZxid;
  private Zxid durableZxid;
  private boolean dirty; // appended or written since the last fsync
  private IOException failure;
  /** A compaction's directory fsync that failed on another thread: fails the log at its next command. */
  private volatile IOException deferredFailure;
  private boolean closed;

  private TxnLog(Path dir, TxnLogOptions options, LogRecovery.Result recovered) throws IOException {
    this.dir = dir;
    this.options = options;
    this.syncer = options.syncer();
    this.segments = new ArrayList<>(recovered.segments());
    this.writeBuf = ByteBuffer.allocateDirect(
        Math.max(MIN_WRITE_BUFFER, SegmentFormat.SALTED_RECORD_HEADER_BYTES + options.maxTxnBytes()));
    this.lastZxid = recovered.lastZxid();
    this.preallocator = new SegmentPreallocator(dir, options.segmentBytes(), syncer, options.threads());
    SegmentPreallocator.deleteLeftover(dir);
    this.recycler = new SegmentRecycler(dir, options.minRecycledBytes(),
        options.recycledFiles(), syncer);
    if (segments.isEmpty()) {
      createSegment(lastZxid);
    } else {
      // Recovered bytes may sit only in the page cache (the process died, not the machine): make them durable
      // before reporting them as such.
      for (Segment s : segments) {
        try (FileChannel ch = FileChannel.open(s.file(), StandardOpenOption.WRITE)) {
          syncer.syncData(ch);
        }
      }
      active = FileChannel.open(segments.get(segments.size() - 1).file(), StandardOpenOption.WRITE);
      active.position(recovered.activeEnd());
      activeSize = recovered.activeEnd();
      activeAllocated = active.size();
      setActiveFormat(recovered.activeVersion(), recovered.activeSalt());
      activePrepared = activeAllocated >= options.segmentBytes();
      track(segments.get(segments.size() - 1).file());
      upgradeActive(recovered.activeVersion());
    }
    this.durableZxid = lastZxid;
  }

  /**
   * Never appends to a segment of format 1 (its records have no kind): rolls to a new segment. A format-1 segment
   * without records is replaced by an empty one of the format appends write (same base).
   */
  private void upgradeActive(int activeVersion) throws IOException {
    if (activeVersion != SegmentFormat.VERSION_1) {
      return;
    }
    Segment old = segments.get(segments.size() - 1);
    if (activeSize > activeHeaderBytes) {
      LOG.info("Txn log {}: segment {} has format version {}; new txns go to a new segment of version {}", dir,
          old.file(), activeVersion, SegmentFormat.VERSION_2);
      roll(false);
      return;
    }
    LOG.info("Txn log {}: replacing the empty segment {} of format version {} by one of version {}", dir,
        old.file(), activeVersion, SegmentFormat.VERSION_2);
    try {
      active.close();
      Files.delete(segments.remove(segments.size() - 1).file());
      syncer.syncDirectory(dir);
    } catch (IOException e) {
      throw fail(e);
    }
    createSegment(old.base());
  }

  /**
   * Opens (creating if needed) the log in {@code dir}, recovering it first.
   *
   * @throws CorruptLogException if the log is damaged beyond a torn tail; nothing on disk is changed then
   */
  public static TxnLog open(Path dir, TxnLogOptions options) throws IOException {
    Directories.createDurably(dir, options.syncer());
    LogRecovery.Result recovered = LogRecovery.recover(dir, options);
    TxnLog log = new TxnLog(dir, options, recovered);
    LOG.info("Opened txn log {}: base {}, last {}, {} segment(s)", dir, log.baseZxid(), log.lastZxid,
        log.segments.size());
    return log;
  }

  /** The last appended zxid (maybe not yet durable), or {@link #baseZxid()} if the log is empty. */
  public Zxid lastZxid() {
    return lastZxid;
  }

  /** The highest zxid covered by a completed fsync. */
  public Zxid durableZxid() {
    return durableZxid;
  }

  /** The log holds the transactions after this zxid: ZERO, or the snapshot zxid after a reset or compaction. */
  public Zxid baseZxid() {
    return segments.get(0).base();
  }

  /**
   * Buffers one transaction; it is durable only after the next {@link #sync()}.
   *
   * @throws IllegalArgumentException if the zxid does not follow {@link #lastZxid()} (same epoch: counter + 1;
   *     higher epoch: counter above 0) or the payload exceeds maxTxnBytes; nothing is written then
   */
  public void append(Txn txn) throws IOException {
    checkWritable();
    checkAppendable(List.of(txn));
    write(txn);
  }

  /**
   * Buffers a batch, checked as a whole first (as {@link #append} checks one txn), so it is appended whole or not
   * at all; durable only after the next {@link #sync()}.
   *
   * @throws IllegalArgumentException as {@link #append} would, for any txn of the batch; nothing is written then
   */
  void appendAll(List<Txn> txns) throws IOException {
    checkWritable();
    checkAppendable(txns);
    for (int i = 0; i < txns.size(); i++) {
      write(txns.get(i));
    }
  }

  private void write(Txn txn) throws IOException {
    Zxid zxid = txn.zxid();
    byte[] data = txn.data();
    int recordBytes = SegmentFormat.recordHeaderBytes(activeVersion) + data.length;
    if (activeSize > activeHeaderBytes && activeSize + recordBytes > segmentLimit()) {
      roll(options.preallocate() || options.recycle());
      recordBytes = SegmentFormat.recordHeaderBytes(activeVersion) + data.length; // the new segment's format
    }
    if (writeBuf.remaining() < recordBytes) {
      flush();
    }
    int start = writeBuf.position();
    int kind = txn.kind().code();
    writeBuf.putInt(data.length).putInt(0).putLong(zxid.value()).put((byte) kind);
    if (activeVersion == SegmentFormat.VERSION_4) {
      salted.salt(activeSalt); // no allocation per record: this is the append path
      writeBuf.putInt(salted.headerCheck(data.length, zxid.value(), kind));
      salted.startRecordCrc(crc);
    } else {
      crc.reset();
    }
    writeBuf.put(data);
    crc.update(writeBuf.slice(start + 8, recordBytes - 8)); // zxid, kind, (header check,) payload
    writeBuf.putInt(start + 4, (int) crc.getValue());
    activeSize += recordBytes;
    lastZxid = zxid;
    dirty = true;
    if (options.preallocate() && activeSize >= segmentLimit() / 2 && recycler.size() == 0) {
      preallocator.start(); // (if not yet started) the next segment's zeros are written while this one fills
    }
  }

  /**
   * The size at which the active segment rolls: the segment size, but for a segment that was not preallocated
   * (the first of a new or reset log, or one cut by a truncate) at most {@link TxnLogOptions#PLAIN_SEGMENT_BYTES},
   * so that a busy log soon writes into preallocated segments only.
   */
  private long segmentLimit() {
    if (!options.preallocate() || activePrepared || activeAllocated >= options.segmentBytes()) {
      return options.segmentBytes();
    }
    return Math.min(options.segmentBytes(), TxnLogOptions.PLAIN_SEGMENT_BYTES);
  }

  /**
   * Checks that {@code txns} could all be appended now, without appending anything, so a batch is appended
   * whole or not at all.
   *
   * @throws IllegalArgumentException as {@link #append} would
   */
  void checkAppendable(List<Txn> txns) {
    Zxid prev = lastZxid;
    for (Txn t : txns) {
      if (t.data().length > options.maxTxnBytes()) {
        throw new IllegalArgumentException("txn " + t.zxid() + " payload is " + t.data().length
            + " bytes, above maxTxnBytes " + options.maxTxnBytes());
      }
      if (!SegmentFormat.follows(prev, t.zxid())) {
        throw new IllegalArgumentException("cannot append: " + SegmentFormat.followError(prev, t.zxid()));
      }
      prev = t.zxid();
    }
  }

  /** Writes everything appended and fsyncs it once; returns the new {@link #durableZxid()}. */
  public Zxid sync() throws IOException {
    checkWritable();
    if (!dirty) {
      return durableZxid;
    }
    flush();
    syncActive();
    dirty = false;
    durableZxid = lastZxid;
    return durableZxid;
  }

  /**
   * Drops every transaction after {@code zxid}, across segments, durably before returning. A zxid at or after
   * {@link #lastZxid()} changes nothing. With {@link TxnLogOptions#recycle} the whole segments dropped go to the pool
   * as compacted ones do.
   *
   * @throws IllegalArgumentException if {@code zxid} is before {@link #baseZxid()}
   */
  public void truncateAfter(Zxid zxid) throws IOException {
    checkWritable();
    if (!zxid.isBefore(lastZxid)) {
      return;
    }
    if (zxid.isBefore(baseZxid())) {
      throw new IllegalArgumentException("cannot truncate after " + zxid + ": the log starts after " + baseZxid());
    }
    flush();
    int keep = segmentHolding(zxid);
    // the active segment ends at activeSize (a recycled one holds older records after it); the others at their end
    long keptEnd = keep == segments.size() - 1 ? activeSize : -1;
    Zxid newLast;
    int keptVersion;
    try {
      if (keep < segments.size() - 1) {
        active.close();
        // newest first, so a crash midway still leaves a contiguous log; with recycling on, into the pool (a file
        // taken from it gets a new salt, so its dropped records never count again)
        for (int i = segments.size() - 1; i > keep; i--) {
          recycler.recycle(segments.remove(i).file());
        }
        syncer.syncDirectory(dir);
        recycler.renamesDurable(recycler.moves());
        active = FileChannel.open(segments.get(keep).file(), StandardOpenOption.WRITE);
        track(segments.get(keep).file());
      }
      long cut;
      try (SegmentScanner s = SegmentScanner.open(segments.get(keep).file(), keptEnd,
          SegmentFormat.MAX_PAYLOAD_ON_DISK)) {
        keptVersion = s.version();
        setActiveFormat(keptVersion, s.salt());
        newLast = s.base();
        cut = s.position();
        for (Txn t = s.next(); t != null && !t.zxid().isAfter(zxid); t = s.next()) {
          newLast = t.zxid();
          cut = s.position();
        }
      }
      active.truncate(cut);
      active.position(cut);
      activeSize = cut;
      activeAllocated = cut;
      activePrepared = false;
      syncer.syncData(active);
    } catch (IOException e) {
      throw fail(e);
    }
    LOG.info("Truncated txn log {} after {} (was {})", dir, newLast, lastZxid);
    settleAt(newLast);
    upgradeActive(keptVersion);
  }

  /**
   * Reads the transactions after {@code zxid} in order, as of now: later appends are not seen. The reader
   * reads the files on its own, but a truncate, reset or segment deletion invalidates it. A failed log refuses
   * to read (the kernel may have dropped written pages) with {@link LogFailedException}.
   *
   * @throws IllegalArgumentException if {@code zxid} is before {@link #baseZxid()} (those are only in a snapshot)
   */
  public LogReader readAfter(Zxid zxid) throws IOException {
    checkWritable();
    if (zxid.isBefore(baseZxid())) {
      throw new IllegalArgumentException("cannot read after " + zxid + ": the log starts after " + baseZxid());
    }
    flush();
    int first = segmentHolding(zxid);
    return new LogReader(List.copyOf(segments.subList(first, segments.size())), activeSize, zxid,
        SegmentFormat.MAX_PAYLOAD_ON_DISK);
  }

  /**
   * Drops the whole log; the next append must follow {@code base}. Used after installing a snapshot (commit the
   * snapshot first). With {@link TxnLogOptions#recycle} the dropped segments go to the pool as compacted ones do. If the process dies midway the log may reopen empty with base ZERO; on start the caller
   * resets again when {@link #lastZxid()} is below its latest snapshot.
   */
  public void resetTo(Zxid base) throws IOException {
    checkWritable();
    writeBuf.clear();
    try {
      active.close();
      for (int i = segments.size() - 1; i >= 0; i--) {
        recycler.recycle(segments.remove(i).file()); // deleted unless recycling keeps it (see truncateAfter)
      }
      syncer.syncDirectory(dir);
      recycler.renamesDurable(recycler.moves());
      createSegment(base);
    } catch (IOException e) {
      throw fail(e);
    }
    LOG.info("Reset txn log {} to base {} (was last {})", dir, base, lastZxid);
    settleAt(base);
  }

  /**
   * Deletes the whole segments whose every transaction is at or before {@code snapshotZxid}; never the active one.
   * With {@link TxnLogOptions#recycle} up to {@link TxnLogOptions#recycledFiles} of them are kept for reuse instead.
   * Durably: {@link #dropSegmentsBefore} and its directory fsync.
   */
  public void deleteSegmentsBefore(Zxid snapshotZxid) throws IOException {
    PendingDirectorySync sync = dropSegmentsBefore(snapshotZxid);
    try {
      sync.run();
    } catch (IOException e) {
      throw fail(e);
    }
  }

  /**
   * {@link #deleteSegmentsBefore} but for the directory fsync, which is returned to be run on another thread: the
   * owning thread goes on appending meanwhile. Run it before the next compaction of this log.
   */
  public PendingDirectorySync dropSegmentsBefore(Zxid snapshotZxid) throws IOException {
    checkWritable();
    int deleted = 0;
    int recycled = 0;
    try {
      // segment i holds (base(i), base(i+1)]; oldest first, so a crash midway still leaves a contiguous log
      while (segments.size() > 1 && !segments.get(1).base().isAfter(snapshotZxid)) {
        if (recycler.recycle(segments.remove(0).file())) {
          recycled++;
        }
        deleted++;
      }
    } catch (IOException e) {
      throw fail(e);
    }
    if (deleted == 0) {
      return PendingDirectorySync.NONE;
    }
    LOG.info("Deleted {} txn log segment(s) of {} covered by snapshot {} ({} kept for recycling); base now {}",
        deleted, dir, snapshotZxid, recycled, baseZxid());
    long moves = recycler.moves();
    return new PendingDirectorySync(dir, syncer, () -> recycler.renamesDurable(moves), e -> {
      if (deferredFailure == null) {
        deferredFailure = e;
      }
    });
  }

  /**
   * Writes buffered appends (without fsync), cuts a recycled active segment after its records and closes the files.
   * Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    preallocator.close();
    try {
      if (failure == null) {
        writeOut();
        if (activeVersion == SegmentFormat.VERSION_4 && active.size() > activeSize) {
          // the records of the recycled file's previous life go, as when it rolls: a later segment (created by the
          // next run) must find this one ending at its file's end
          active.truncate(activeSize);
        }
      }
      active.close();
    } catch (IOException e) {
      LOG.warn("Error closing txn log {}", dir, e);
    }
  }

  /** After a truncate or reset, which fsync everything they leave: the log ends, durably, at {@code last}. */
  private void settleAt(Zxid last) {
    lastZxid = last;
    durableZxid = last;
    dirty = false;
  }

  /** Index of the segment whose range (base, next base] holds {@code zxid}; the first one if before it. */
  private int segmentHolding(Zxid zxid) {
    int i = segments.size() - 1;
    while (i > 0 && segments.get(i).base().compareTo(zxid) >= 0) {
      i--;
    }
    return i;
  }

  /**
   * Closes the active segment durably and starts the next one: if {@code prepared}, a recycled one when the pool has
   * one (and recycling is on), else a preallocated one (if preallocation is on); otherwise one that grows by appends.
   */
  private void roll(boolean prepared) throws IOException {
    flush();
    if (activeAllocated > activeSize) {
      try {
        active.truncate(activeSize); // an older segment ends at its file's end: readers never scan its zeros
      } catch (IOException e) {
        throw fail(e);
      }
    }
    syncActive();
    try {
      active.close();
    } catch (IOException e) {
      throw fail(e);
    }
    durableZxid = lastZxid;
    dirty = false;
    if (prepared && recycler.size() > 0) {
      createRecycledSegment(lastZxid);
    } else if (prepared && options.preallocate()) {
      createPreallocatedSegment(lastZxid);
    } else {
      createSegment(lastZxid);
    }
  }

  private void createRecycledSegment(Zxid base) throws IOException {
    FileChannel ch;
    SegmentRecycler.Taken taken;
    try {
      taken = recycler.take(base);
      ch = FileChannel.open(taken.file(), StandardOpenOption.WRITE);
      ch.position(SegmentFormat.SALTED_HEADER_BYTES);
    } catch (IOException e) {
      throw fail(e);
    }
    activate(taken.file(), base, ch, SegmentFormat.VERSION_4, taken.salt());
    activePrepared = true;
    // once per segment (64 MiB by default): how often recycling pays off shows in the log
    LOG.info("Txn log {}: segment after {} reuses a recycled file ({} left in the pool)", dir, base, recycler.size());
  }

  private void createPreallocatedSegment(Zxid base) throws IOException {
    Path file;
    try {
      file = preallocator.install(dir, base);
    } catch (IOException e) {
      // e.g. no room for the zeros: an append-grown segment is as safe, only its fsyncs are slower
      LOG.warn("Txn log {}: could not preallocate the segment after {}, appending to a new file instead: {}", dir,
          base, e.toString());
      createSegment(base);
      return;
    }
    FileChannel ch;
    try {
      ch = FileChannel.open(file, StandardOpenOption.WRITE);
      ch.position(SegmentFormat.HEADER_BYTES);
    } catch (IOException e) {
      throw fail(e);
    }
    activate(file, base, ch, SegmentFormat.VERSION, 0);
    activePrepared = true;
    preallocator.start(); // a whole segment's time to write the next one's zeros, so the roll need not wait
  }

  private void createSegment(Zxid base) throws IOException {
    Path file = SegmentFormat.fileFor(dir, base);
    FileChannel ch = null;
    try {
      ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      ByteBuffer h = SegmentFormat.header(base, SegmentFormat.VERSION_2); // grows by appends: no zero tail
      while (h.hasRemaining()) {
        ch.write(h);
      }
      syncer.syncData(ch);
      syncer.syncDirectory(dir);
    } catch (IOException e) {
      if (ch != null) {
        ch.close();
      }
      throw fail(e);
    }
    activate(file, base, ch, SegmentFormat.VERSION_2, 0);
  }

  private void activate(Path file, Zxid base, FileChannel ch, int version, long salt) throws IOException {
    segments.add(new Segment(file, base));
    active = ch;
    setActiveFormat(version, salt);
    activePrepared = false;
    activeSize = activeHeaderBytes;
    try {
      activeAllocated = ch.size();
    } catch (IOException e) {
      throw fail(e);
    }
    track(file);
  }

  private void setActiveFormat(int version, long salt) {
    activeVersion = version;
    activeHeaderBytes = SegmentFormat.headerBytes(version);
    activeSalt = salt;
  }

  private void track(Path file) throws IOException {
    activeFile = file;
    activeKey = Files.readAttributes(file, BasicFileAttributes.class).fileKey(); // null where unsupported
  }

  /**
   * Fsyncs the active segment, then checks that it is still the file at its path: a data directory deleted or
   * replaced under the running server would otherwise take every later write, fsynced and acknowledged, with it.
   * One stat per fsync.
   */
  private void syncActive() throws LogFailedException {
    try {
      syncer.syncData(active);
    } catch (IOException e) {
      throw fail(e);
    }
    checkLinked();
  }

  /**
   * Checks that the active segment is still the file at its path (between writes: an idle server whose data
   * directory was deleted must not wait for a write to notice). One stat.
   *
   * @throws LogFailedException (with a {@link StorageLostException} cause) if it is not; the log is failed then
   */
  public void checkActiveSegment() throws LogFailedException {
    checkWritable();
    checkLinked();
  }

  private void checkLinked() throws LogFailedException {
    Object key;
    try {
      key = Files.readAttributes(activeFile, BasicFileAttributes.class).fileKey();
    } catch (NoSuchFileException e) {
      throw fail(new StorageLostException(activeFile, "no longer exists"));
    } catch (IOException e) {
      throw fail(e);
    }
    if (activeKey != null && !activeKey.equals(key)) {
      throw fail(new StorageLostException(activeFile, "was replaced by another file"));
    }
  }

  private void flush() throws IOException {
    try {
      writeOut();
    } catch (IOException e) {
      throw fail(e);
    }
  }

  private void writeOut() throws IOException {
    writeBuf.flip();
    while (writeBuf.hasRemaining()) {
      active.write(writeBuf);
    }
    writeBuf.clear();
  }

  private void checkWritable() throws LogFailedException {
    if (closed) {
      throw new IllegalStateException("txn log " + dir + " is closed");
    }
    IOException deferred = deferredFailure;
    if (deferred != null && failure == null) {
      throw fail(deferred);
    }
    if (failure != null) {
      throw new LogFailedException("txn log " + dir + " failed earlier and refuses further use", failure);
    }
  }

  /** Marks the log failed for good; the caller throws the result (and reports it: the runtime's fatal path). */
  private LogFailedException fail(IOException e) {
    if (failure == null) {
      failure = e;
    }
    return new LogFailedException("txn log " + dir + " failed (last " + lastZxid + ", durable " + durableZxid + "): "
        + failure.getMessage(), failure);
  }
}
