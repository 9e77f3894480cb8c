package io.zab.protocol;

import io.zab.wire.MessageCodec;
import io.zab.wire.Txn;
import java.util.List;

/** Cuts runs of txns into proposals of at most maxBatchTxns txns and one frame of bytes (issue 10 item 1). */
final class ProposalBatches {
  private ProposalBatches() {}

  /** Bytes {@code t} adds to a proposal's body. */
  static long bytes(Txn t) {
    return MessageCodec.PROPOSAL_TXN_OVERHEAD_BYTES + (long) t.data().length;
  }

  /**
   * The end (exclusive) of the proposal that starts at {@code from}: as many txns as fit {@code maxTxns} and a body
   * of {@code maxBodyBytes}, but always at least one (a config check guarantees that one txn fits a frame).
   */
  static int end(List<Txn> txns, int from, int maxTxns, long maxBodyBytes) {
    long size = MessageCodec.PROPOSAL_HEADER_BYTES + bytes(txns.get(from));
    int end = from + 1;
    while (end < txns.size() && end - from < maxTxns && size + bytes(txns.get(end)) <= maxBodyBytes) {
      size += bytes(txns.get(end));
      end++;
    }
    return end;
  }
}
