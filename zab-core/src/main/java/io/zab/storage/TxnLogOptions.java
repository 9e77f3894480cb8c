package io.zab.storage;

import io.zab.FileSyncer;
import io.zab.ZabThreads;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;

/**
 * Tuning and fault-injection knobs of a {@link TxnLog}.
 *
 * @param segmentBytes a segment is rolled once appending the next record would make it larger than this
 * @param maxTxnBytes the largest payload accepted by append and by recovery (a larger length field is damage)
 * @param syncer the fsync hook: {@link FileSyncer#SYSTEM} in production, a counting or failing one in tests
 * @param preallocate whether segments after the first are written with zeros to {@code segmentBytes} (in the
 *     background, before the log rolls to them), so that the fsync of an append flushes data blocks only and
 *     does not wait for the file system's journal; the first segment of a new or reset log then holds at most
 *     {@link #PLAIN_SEGMENT_BYTES} (it grows by appends, so a log that stays small writes no zeros). Off by
 *     default: every log byte is then written twice, which on a disk whose bandwidth the log already uses up can
 *     cost more than the journal waits it saves (docs/benchmarks.md, issue 12)
 * @param recycledFiles how many segment files that compaction ({@link TxnLog#deleteSegmentsBefore}) no longer
 *     needs are kept in a pool (those of at least half the segment size; 0: none, recycling off; {@link
 *     #withRecycling} keeps {@value #RECYCLED_FILES}) and overwritten as new segments (format version 4) instead of
 *     being deleted: their blocks are allocated and written
 *     already, so an fsync flushes data only, and unlike {@code preallocate} no zeros are written. When the pool is
 *     empty a new segment is preallocated or grows by appends as without it. Off by default (docs/benchmarks.md)
 * @param threads makes the log's background threads (with {@code preallocate}, one per segment, writing its zeros):
 *     by default daemon threads named {@code zab-log-preallocate}; a node names them after itself ({@code
 *     zab-log-preallocate-<id>}, {@link #forServer})
 */
public record TxnLogOptions(long segmentBytes, int maxTxnBytes, FileSyncer syncer, boolean preallocate,
                            int recycledFiles, ThreadFactory threads) {

  public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;
  public static final int DEFAULT_MAX_TXN_BYTES = 1 << 20;
  /** With {@code preallocate}: the largest size of a segment that was not preallocated. */
  public static final long PLAIN_SEGMENT_BYTES = 1L << 20;
  /** With recycling on: how many compacted segment files are kept for reuse (more are deleted). */
  public static final int RECYCLED_FILES = 2;

  /** The default of {@code threads}: daemon threads named {@code zab-log-preallocate}. */
  public static final ThreadFactory DEFAULT_THREADS = r -> {
    Thread t = new Thread(r, "zab-log-preallocate");
    t.setDaemon(true);
    return t;
  };

  /** Options without recycling. */
  public TxnLogOptions(long segmentBytes, int maxTxnBytes, FileSyncer syncer, boolean preallocate) {
    this(segmentBytes, maxTxnBytes, syncer, preallocate, 0);
  }

  /** Options with the default threads. */
  public TxnLogOptions(long segmentBytes, int maxTxnBytes, FileSyncer syncer, boolean preallocate,
                       int recycledFiles) {
    this(segmentBytes, maxTxnBytes, syncer, preallocate, recycledFiles, DEFAULT_THREADS);
  }

  public TxnLogOptions {
    Objects.requireNonNull(syncer, "syncer");
    Objects.requireNonNull(threads, "threads");
    if (maxTxnBytes < 0 || maxTxnBytes > (1 << 30)) {
      throw new IllegalArgumentException("maxTxnBytes out of range [0, 2^30]: " + maxTxnBytes);
    }
    if (recycledFiles < 0) {
      throw new IllegalArgumentException("recycledFiles must be >= 0: " + recycledFiles);
    }
    if (segmentBytes < SegmentFormat.SALTED_HEADER_BYTES + SegmentFormat.SALTED_RECORD_HEADER_BYTES) {
      throw new IllegalArgumentException("segmentBytes too small: " + segmentBytes);
    }
  }

  /** 64 MiB segments (neither preallocated nor recycled), 1 MiB max payload, real fsync. */
  public static TxnLogOptions defaults() {
    return new TxnLogOptions(DEFAULT_SEGMENT_BYTES, DEFAULT_MAX_TXN_BYTES, FileSyncer.SYSTEM, false, 0);
  }

  public TxnLogOptions withSegmentBytes(long bytes) {
    return new TxnLogOptions(bytes, maxTxnBytes, syncer, preallocate, recycledFiles, threads);
  }

  public TxnLogOptions withMaxTxnBytes(int bytes) {
    return new TxnLogOptions(segmentBytes, bytes, syncer, preallocate, recycledFiles, threads);
  }

  public TxnLogOptions withSyncer(FileSyncer s) {
    return new TxnLogOptions(segmentBytes, maxTxnBytes, s, preallocate, recycledFiles, threads);
  }

  public TxnLogOptions withPreallocation(boolean on) {
    return new TxnLogOptions(segmentBytes, maxTxnBytes, syncer, on, recycledFiles, threads);
  }

  /** Recycling on ({@value #RECYCLED_FILES} files kept) or off. */
  public TxnLogOptions withRecycling(boolean on) {
    return withRecycledFiles(on ? RECYCLED_FILES : 0);
  }

  public TxnLogOptions withRecycledFiles(int n) {
    return new TxnLogOptions(segmentBytes, maxTxnBytes, syncer, preallocate, n, threads);
  }

  /** The threads of a node's log: {@code zab-log-preallocate-<serverId>}, the server id in the MDC. */
  public TxnLogOptions forServer(long serverId) {
    return withThreads(r -> ZabThreads.newThread(serverId, "log-preallocate", r));
  }

  public TxnLogOptions withThreads(ThreadFactory t) {
    return new TxnLogOptions(segmentBytes, maxTxnBytes, syncer, preallocate, recycledFiles, t);
  }

  /** Whether compacted segments are recycled. */
  public boolean recycle() {
    return recycledFiles > 0;
  }

  /** The smallest file the recycling pool keeps: half a segment (the rest of a smaller one grows by appends). */
  long minRecycledBytes() {
    return segmentBytes / 2;
  }
}
