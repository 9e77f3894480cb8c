package io.zab.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.Zxid;
import io.zab.testkit.timeline.TimelineRecorder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The real cluster's safety checks catch what they exist for (and nothing on a correct history). */
class ReplicaChecksTest {
  private final ReplicaChecks checks = new ReplicaChecks(new TimelineRecorder(() -> 0));

  private static ByteBuffer txn(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void agreeingReplicasInOrderAreFine() {
    checks.applied(1, Zxid.of(1, 1), txn("a"));
    checks.applied(2, Zxid.of(1, 1), txn("a"));
    checks.applied(1, Zxid.of(1, 2), txn("b"));
    checks.restored(2);                                 // a snapshot install: the order starts over
    checks.applied(2, Zxid.of(1, 2), txn("b"));
    assertThat(checks.violations()).isEmpty();
    assertThat(checks.committed("b".getBytes(StandardCharsets.UTF_8))).isTrue();
    assertThat(checks.committed("c".getBytes(StandardCharsets.UTF_8))).isFalse();
  }

  @Test
  void twoServersApplyingDifferentTxnsAtOneZxidBreakAgreement() {
    checks.applied(1, Zxid.of(2, 5), txn("a"));
    checks.applied(3, Zxid.of(2, 5), txn("b"));
    assertThat(checks.violations()).singleElement().asString().startsWith("Agreement: s3 applied a different txn at 0x2:0x5");
  }

  @Test
  void applyingAnOlderZxidBreaksTotalOrder() {
    checks.applied(1, Zxid.of(2, 5), txn("a"));
    checks.applied(1, Zxid.of(2, 4), txn("b"));
    assertThat(checks.violations()).singleElement().asString().isEqualTo("TotalOrder: s1 applied 0x2:0x4 after 0x2:0x5");
  }
}
