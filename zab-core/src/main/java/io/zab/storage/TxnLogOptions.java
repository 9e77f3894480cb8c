package io.zab.storage;

import io.zab.FileSyncer;
import java.util.Objects;

/**
 * Tuning and fault-injection knobs of a {@link TxnLog}.
 *
 * @param segmentBytes a segment is rolled once appending the next record would make it larger than this
 * @param maxTxnBytes the largest payload accepted by append and by recovery (a larger length field is damage)
 * @param syncer the fsync hook: {@link FileSyncer#SYSTEM} in production, a counting or failing one in tests
 */
public record TxnLogOptions(long segmentBytes, int maxTxnBytes, FileSyncer syncer) {

  public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;
  public static final int DEFAULT_MAX_TXN_BYTES = 1 << 20;

  public TxnLogOptions {
    Objects.requireNonNull(syncer, "syncer");
    if (maxTxnBytes < 0 || maxTxnBytes > (1 << 30)) {
      throw new IllegalArgumentException("maxTxnBytes out of range [0, 2^30]: " + maxTxnBytes);
    }
    if (segmentBytes < SegmentFormat.HEADER_BYTES + SegmentFormat.RECORD_HEADER_BYTES) {
      throw new IllegalArgumentException("segmentBytes too small: " + segmentBytes);
    }
  }

  /** 64 MiB segments, 1 MiB max payload, real fsync. */
  public static TxnLogOptions defaults() {
    return new TxnLogOptions(DEFAULT_SEGMENT_BYTES, DEFAULT_MAX_TXN_BYTES, FileSyncer.SYSTEM);
  }

  public TxnLogOptions withSegmentBytes(long bytes) {
    return new TxnLogOptions(bytes, maxTxnBytes, syncer);
  }

  public TxnLogOptions withMaxTxnBytes(int bytes) {
    return new TxnLogOptions(segmentBytes, bytes, syncer);
  }

  public TxnLogOptions withSyncer(FileSyncer s) {
    return new TxnLogOptions(segmentBytes, maxTxnBytes, s);
  }
}
