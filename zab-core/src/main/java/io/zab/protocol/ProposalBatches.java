package io.zab.protocol;

import io.zab.wire.MessageCodec;
import io.zab.wire.Txn;

/**
 * What a txn adds to a proposal, so runs of txns are cut into proposals of at most maxBatchTxns txns and one frame of
 * bytes (issue 10 item 1; {@link InMemoryLog#batchAfter} cuts from its running totals).
 */
final class ProposalBatches {
  private ProposalBatches() {}

  /** Bytes {@code t} adds to a proposal's body. */
  static long bytes(Txn t) {
    return MessageCodec.PROPOSAL_TXN_OVERHEAD_BYTES + (long) t.data().length;
  }
}
