package io.zab.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.Zxid;
import io.zab.wire.Txn;
import org.junit.jupiter.api.Test;

/** The history checks accept a correct delivery pattern and name each kind of broken one. */
class CommittedHistoryTest {
  private final Violations violations = new Violations(() -> 0);
  private final CommittedHistory history = new CommittedHistory(3, violations, true);

  private Txn submitted(long epoch, long counter, String payload) {
    Txn t = new Txn(Zxid.of(epoch, counter), payload.getBytes());
    history.submitted(t.data());
    return t;
  }

  @Test
  void serversDeliveringPrefixesOfOneHistoryAreFine() {
    Txn a = submitted(1, 1, "a");
    Txn b = submitted(1, 2, "b");
    Txn c = submitted(2, 1, "c");
    history.delivered(1, a);
    history.delivered(1, b);
    history.delivered(2, a);
    history.delivered(1, c);
    history.restored(3, b.zxid());   // server 3 installs a snapshot at b
    history.delivered(3, c);
    history.acknowledged(1, b.zxid(), b.data());
    assertThat(violations.all()).isEmpty();
    assertThat(history.size()).isEqualTo(3);
    assertThat(history.appliedBy(2)).isEqualTo(1);
  }

  @Test
  void differentTxnsAtOneZxid_isAnAgreementViolation() {
    Txn a = submitted(1, 1, "a");
    Txn other = submitted(1, 1, "x");
    history.delivered(1, a);
    history.delivered(2, other);
    assertThat(violations.all()).extracting(Violation::check).containsExactly("Agreement");
  }

  @Test
  void skippingAnAcknowledgedWrite_isReportedAsLost() {
    Txn a = submitted(1, 1, "a");
    Txn b = submitted(2, 1, "b");
    history.delivered(1, a);
    history.acknowledged(1, a.zxid(), a.data());
    history.delivered(2, b);
    assertThat(violations.all()).extracting(Violation::check).containsExactly("AcknowledgedWriteLost");
  }

  @Test
  void skippingAnUnacknowledgedTxn_isAPrefixConsistencyViolation() {
    Txn a = submitted(1, 1, "a");
    Txn b = submitted(1, 2, "b");
    history.delivered(1, a);
    history.delivered(1, b);
    history.delivered(2, b);
    assertThat(violations.all()).extracting(Violation::check).containsExactly("PrefixConsistency");
  }

  @Test
  void orderAndGapsWithinAnEpoch_areChecked() {
    history.delivered(1, submitted(1, 2, "a"));
    history.delivered(1, submitted(1, 1, "b"));
    assertThat(violations.all()).extracting(Violation::check).containsExactly("TotalOrder");

    CommittedHistory other = new CommittedHistory(1, violations, true);
    Txn c = new Txn(Zxid.of(1, 1), "c".getBytes());
    Txn d = new Txn(Zxid.of(1, 3), "d".getBytes());
    other.submitted(c.data());
    other.submitted(d.data());
    other.delivered(1, c);
    other.delivered(1, d);
    assertThat(violations.all()).extracting(Violation::check).containsExactly("TotalOrder", "LocalPrimaryOrder");
  }

  @Test
  void integrity_unsubmittedDuplicatedOrRejectedPayloads() {
    history.delivered(1, new Txn(Zxid.of(1, 1), "never-submitted".getBytes()));
    Txn twice = submitted(1, 2, "twice");
    history.delivered(1, twice);
    history.delivered(1, new Txn(Zxid.of(1, 3), "twice".getBytes()));
    Txn rejected = submitted(1, 4, "rejected");
    history.rejected(2, rejected.data());
    history.delivered(1, rejected);
    assertThat(violations.all()).extracting(Violation::check).containsExactly("Integrity", "Integrity", "Integrity");
  }

  @Test
  void anAckForATxnTheServerHasNotApplied_isAViolation() {
    Txn a = submitted(1, 1, "a");
    history.acknowledged(1, a.zxid(), a.data());
    assertThat(violations.all()).extracting(Violation::check).containsExactly("Integrity");
  }
}
