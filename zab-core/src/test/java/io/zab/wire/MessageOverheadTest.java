package io.zab.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zab.Zxid;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The overheads the core sizes its messages with are the codec's real ones, not estimates. */
class MessageOverheadTest {
  private final MessageCodec codec = new MessageCodec(4096);

  @Test
  void proposalSizeIsHeaderPlusPerTxnOverheadPlusPayloads() {
    List<Txn> txns = List.of(new Txn(Zxid.of(1, 1), new byte[100]), new Txn(Zxid.of(1, 2), new byte[0]),
        new Txn(Zxid.of(1, 3), new byte[7]));
    int encoded = codec.encode(new Message.Proposal(txns)).length;
    assertThat(encoded).isEqualTo(MessageCodec.PROPOSAL_HEADER_BYTES + 3 * MessageCodec.PROPOSAL_TXN_OVERHEAD_BYTES + 107);
    assertThat(MessageCodec.proposalBytes(txns)).isEqualTo(encoded);
  }

  @Test
  void requestAndSnapChunkOverheads() {
    assertThat(codec.encode(new Message.Request(5, new byte[33])).length)
        .isEqualTo(MessageCodec.REQUEST_OVERHEAD_BYTES + 33);
    assertThat(codec.encode(new Message.SnapChunk(Zxid.of(2, 9), 10, new byte[50], true)).length)
        .isEqualTo(MessageCodec.SNAP_CHUNK_OVERHEAD_BYTES + 50);
  }

  @Test
  void theLargestPayloadFitsAFrameInAProposalAndInARequestAndOneByteMoreDoesNot() {
    int max = MessageCodec.maxPayloadBytes(4096);
    byte[] fits = new byte[max];
    assertThat(codec.encodedSize(new Message.Proposal(List.of(new Txn(Zxid.of(1, 1), fits))))).isEqualTo(4096);
    assertThat(codec.encodedSize(new Message.Request(1, fits))).isLessThanOrEqualTo(4096);
    byte[] tooBig = new byte[max + 1];
    assertThatThrownBy(() -> codec.encodedSize(new Message.Proposal(List.of(new Txn(Zxid.of(1, 1), tooBig)))))
        .isInstanceOf(CodecException.class);
  }
}
