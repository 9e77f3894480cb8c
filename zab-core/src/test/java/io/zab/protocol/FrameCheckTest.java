package io.zab.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.Zxid;
import io.zab.wire.Message;
import io.zab.wire.Txn;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 10 item 1's rule as both harnesses check every send: the message fits the transport's frame. */
class FrameCheckTest {

  @Test
  void aMessageLargerThanTheFrameIsReportedAndASmallOneIsNot() {
    FrameCheck check = new FrameCheck(1024);
    assertThat(check.problem(new Message.Proposal(List.of(new Txn(Zxid.of(1, 1), new byte[100]))))).isNull();
    assertThat(check.problem(new Message.Proposal(List.of(new Txn(Zxid.of(1, 1), new byte[2048])))))
        .contains("Proposal").contains("1024");
  }
}
