package io.zab.protocol;

import static io.zab.protocol.S4VoteOrderTest.txns;
import static org.assertj.core.api.Assertions.assertThat;

import io.zab.Zxid;
import org.junit.jupiter.api.Test;

/** Issue 16's rule as both harnesses check it: a write completes before its server delivers its txn. */
class ResultHandoffCheckTest {

  @Test
  void aWriteCompletedAfterItsTxnWasDeliveredHereIsReported() {
    ResultHandoffCheck check = new ResultHandoffCheck(Zxid.ZERO);
    check.submitted(1);
    check.submitted(2);
    assertThat(check.completed(1, Zxid.of(1, 1))).isNull();
    check.delivered(txns(1, 2));
    assertThat(check.completed(2, Zxid.of(1, 2))).contains("write 2").contains("issue 16");
    assertThat(check.completed(3, Zxid.of(1, 2))).as("not a write of this server").isNull();
  }

  @Test
  void txnsInsideAnInstalledSnapshotOrAnEarlierIncarnationWereNotDeliveredHere() {
    ResultHandoffCheck check = new ResultHandoffCheck(Zxid.ZERO);
    check.delivered(txns(1, 2));
    check.installed(Zxid.of(1, 9));
    check.submitted(1);
    assertThat(check.completed(1, Zxid.of(1, 5))).isNull();
    check.restarted(Zxid.of(1, 1));
    check.submitted(2);
    assertThat(check.completed(2, Zxid.of(1, 2))).isNull();
    check.submitted(3);
    check.forget(3);
    check.delivered(txns(1, 3).subList(1, 3));
    assertThat(check.completed(3, Zxid.of(1, 3))).as("a read reusing the id").isNull();
  }
}
