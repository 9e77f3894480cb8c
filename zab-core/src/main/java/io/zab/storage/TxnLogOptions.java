package io.zab.storage;

import io.zab.FileSyncer;
import java.util.Objects;

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
 */
public record TxnLogOptions(long segmentBytes, int maxTxnBytes, FileSyncer syncer, boolean preallocate) {

  public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;
  public static final int DEFAULT_MAX_TXN_BYTES = 1 << 20;
  /** With {@code preallocate}: the largest size of a segment that was not preallocated. */
  public static final long PLAIN_SEGMENT_BYTES = 1L << 20;

  public TxnLogOptions {
    Objects.requireNonNull(syncer, "syncer");
    if (maxTxnBytes < 0 || maxTxnBytes > (1 << 30)) {
      throw new IllegalArgumentException("maxTxnBytes out of range [0, 2^30]: " + maxTxnBytes);
    }
    if (segmentBytes < SegmentFormat.HEADER_BYTES + SegmentFormat.RECORD_HEADER_BYTES) {
      throw new IllegalArgumentException("segmentBytes too small: " + segmentBytes);
    }
  }

  /** 64 MiB segments (not preallocated), 1 MiB max payload, real fsync. */
  public static TxnLogOptions defaults() {
    return new TxnLogOptions(DEFAULT_SEGMENT_BYTES, DEFAULT_MAX_TXN_BYTES, FileSyncer.SYSTEM, false);
  }

  public TxnLogOptions withSegmentBytes(long bytes) {
    return new TxnLogOptions(bytes, maxTxnBytes, syncer, preallocate);
  }

  public TxnLogOptions withMaxTxnBytes(int bytes) {
    return new TxnLogOptions(segmentBytes, bytes, syncer, preallocate);
  }

  public TxnLogOptions withSyncer(FileSyncer s) {
    return new TxnLogOptions(segmentBytes, maxTxnBytes, s, preallocate);
  }

  public TxnLogOptions withPreallocation(boolean on) {
    return new TxnLogOptions(segmentBytes, maxTxnBytes, syncer, on);
  }
}
