package io.zab.examples.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zab.examples.codec.MalformedDataException;
import io.zab.examples.kv.Command.Acquire;
import io.zab.examples.kv.Command.CancelWait;
import io.zab.examples.kv.Command.CloseSession;
import io.zab.examples.kv.Command.CompareAndSet;
import io.zab.examples.kv.Command.Delete;
import io.zab.examples.kv.Command.Put;
import io.zab.examples.kv.Command.Release;
import io.zab.examples.kv.Command.Tick;
import io.zab.examples.kv.Command.TouchSessions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class KvStateMachineTest {

  private final ReplicaDriver r = new ReplicaDriver();

  @Test
  void putGetDeleteWithVersions() {
    long z1 = r.nextZxid();
    assertThat(r.apply(new Put("a", "1"))).isEqualTo(new Outcome.Written("a", z1, null));
    long z2 = r.nextZxid();
    assertThat(r.apply(new Put("a", "2"))).isEqualTo(new Outcome.Written("a", z2, "1"));
    assertThat(r.sm.get("a")).contains(new Entry("2", z2));
    assertThat(r.apply(new Delete("a"))).isEqualTo(new Outcome.Deleted("a", "2"));
    assertThat(r.apply(new Delete("a"))).isEqualTo(new Outcome.Deleted("a", null));
    assertThat(r.sm.get("a")).isEmpty();
  }

  @Test
  void compareAndSetSwapsOnlyOnMatch() {
    long z = r.nextZxid();
    assertThat(r.apply(new CompareAndSet("k", null, "v1"))).isEqualTo(new Outcome.CasResult("k", true, "v1", z));
    assertThat(r.apply(new CompareAndSet("k", null, "v2"))).isEqualTo(new Outcome.CasResult("k", false, "v1", z));
    assertThat(r.apply(new CompareAndSet("k", "wrong", "v2"))).isEqualTo(new Outcome.CasResult("k", false, "v1", z));
    long z2 = r.nextZxid();
    assertThat(r.apply(new CompareAndSet("k", "v1", "v2"))).isEqualTo(new Outcome.CasResult("k", true, "v2", z2));
    assertThat(r.apply(new CompareAndSet("absent", "x", "y")))
        .isEqualTo(new Outcome.CasResult("absent", false, null, 0));
  }

  @Test
  void s11_fifoWaitersGetTheLockWithStrictlyIncreasingFencingTokens() {
    long a = r.openSession(1000);
    long b = r.openSession(1000);
    long c = r.openSession(1000);
    long t1 = r.nextZxid();
    assertThat(r.apply(new Acquire("L", a, true))).isEqualTo(new Outcome.LockGranted("L", a, t1));
    assertThat(r.apply(new Acquire("L", c, true))).isEqualTo(new Outcome.LockQueued("L", c, 1));
    assertThat(r.apply(new Acquire("L", b, true))).isEqualTo(new Outcome.LockQueued("L", b, 2));
    long t2 = r.nextZxid();
    assertThat(r.apply(new Release("L", a))).isEqualTo(new Outcome.LockReleased("L", a));
    long t3 = r.nextZxid();
    r.apply(new Release("L", c));
    assertThat(r.events).containsExactly(
        "granted L to " + a + " token " + t1,
        "granted L to " + c + " token " + t2,
        "granted L to " + b + " token " + t3);
    assertThat(t1).isLessThan(t2).isLessThan(t3);
    assertThat(r.sm.lock("L").orElseThrow().holder()).isEqualTo(b);
  }

  @Test
  void s11_tryAcquireIsBusyAndReleaseByOtherIsRefused() {
    long a = r.openSession(1000);
    long b = r.openSession(1000);
    r.apply(new Acquire("L", a, false));
    assertThat(r.apply(new Acquire("L", b, false))).isEqualTo(new Outcome.LockBusy("L", a));
    assertThat(r.apply(new Release("L", b))).isEqualTo(new Outcome.NotLockHolder("L", b, a));
  }

  @Test
  void s9_s11_expiredSessionReleasesItsLockToTheNextWaiter() {
    long holder = r.openSession(1000);
    long waiter = r.openSession(1000);
    r.apply(new Tick(9, 0, 10_000)); // the leader's first reading: a baseline
    long firstToken = ((Outcome.LockGranted) r.apply(new Acquire("L", holder, true))).fencingToken();
    r.apply(new Acquire("L", waiter, true));
    r.apply(new Tick(9, 600, 10_000));
    r.apply(new TouchSessions(List.of(waiter))); // only the waiter heartbeats
    assertThat(r.apply(new Tick(9, 1000, 10_000))).isEqualTo(new Outcome.Ticked(1000, List.of()));
    long expiryZxid = r.nextZxid();
    assertThat(r.apply(new Tick(9, 1001, 10_000))).isEqualTo(new Outcome.Ticked(1001, List.of(holder)));

    assertThat(r.events).endsWith("ended " + holder, "granted L to " + waiter + " token " + expiryZxid);
    assertThat(expiryZxid).isGreaterThan(firstToken);
    assertThat(r.sm.lock("L").orElseThrow().holder()).isEqualTo(waiter);
    assertThat(r.sm.session(holder)).isEmpty();
    assertThat(r.apply(new TouchSessions(List.of(holder, waiter)))).isEqualTo(new Outcome.SessionsTouched(List.of(holder)));
    // The expired holder cannot release (or take) anything any more.
    assertThat(r.apply(new Release("L", holder))).isEqualTo(new Outcome.UnknownSession(holder));
    assertThat(r.apply(new Acquire("L", holder, true))).isEqualTo(new Outcome.UnknownSession(holder));
  }

  @Test
  void s11_closedSessionHandsOverAndLeavesQueues() {
    long a = r.openSession(1000);
    long b = r.openSession(1000);
    long c = r.openSession(1000);
    r.apply(new Acquire("L", a, true));
    r.apply(new Acquire("L", b, true));
    r.apply(new Acquire("L", c, true));
    assertThat(r.apply(new CloseSession(b))).isEqualTo(new Outcome.SessionClosed(b, true));
    long handOver = r.nextZxid();
    r.apply(new CloseSession(a));
    assertThat(r.sm.lock("L").orElseThrow()).satisfies(v -> {
      assertThat(v.holder()).isEqualTo(c);
      assertThat(v.fencingToken()).isEqualTo(handOver);
      assertThat(v.waiters()).isEmpty();
    });
    assertThat(r.apply(new CloseSession(a))).isEqualTo(new Outcome.SessionClosed(a, false));
  }

  @Test
  void cancelledWaitReportsAGrantThatCameFirst() {
    long a = r.openSession(1000);
    long b = r.openSession(1000);
    r.apply(new Acquire("L", a, true));
    r.apply(new Acquire("L", b, true));
    long token = r.nextZxid();
    r.apply(new Release("L", a));
    assertThat(r.apply(new CancelWait("L", b))).isEqualTo(new Outcome.LockGranted("L", b, token));
    assertThat(r.apply(new CancelWait("L", a))).isEqualTo(new Outcome.NotAcquired("L", a));
  }

  @Test
  void malformedTxnIsSkippedWithAReasonAndStateUnchanged() {
    r.apply(new Put("a", "1"));
    Outcome o = r.applyBytes(new byte[] {2, 3}); // a compare-and-set without its fields
    assertThat(o).isInstanceOf(Outcome.Malformed.class);
    assertThat(((Outcome.Malformed) o).reason()).contains("bad key.length at offset 2: input ends early");
    assertThat(r.sm.keyCount()).isEqualTo(1);
    assertThat(r.sm.appliedZxid().counter()).isEqualTo(2);
  }

  @Test
  void snapshotRestoreRoundTripKeepsEveryKeySessionAndLock() throws Exception {
    long a = r.openSession(1000);
    long b = r.openSession(2000);
    r.apply(new Tick(9, 0, 10_000));
    r.apply(new Put("x", "1"));
    r.apply(new Put("y", "ü"));
    r.apply(new Acquire("L", a, true));
    r.apply(new Acquire("L", b, true));
    r.apply(new Tick(9, 500, 10_000));

    ReplicaDriver copy = new ReplicaDriver();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    r.sm.snapshot(bytes);
    copy.sm.restore(new ByteArrayInputStream(bytes.toByteArray()));
    assertThat(copy.sm.digest()).isEqualTo(r.sm.digest());
    assertThat(copy.sm.get("y")).isEqualTo(r.sm.get("y"));
    assertThat(copy.sm.lock("L")).isEqualTo(r.sm.lock("L"));
    assertThat(copy.sm.sessionClockMillis()).isEqualTo(500);

    // Both continue identically: the restored replica expires a at the same txn and grants L to b.
    for (ReplicaDriver d : List.of(r, copy)) {
      d.newEpoch(2);
      d.apply(new Tick(9, 700, 10_000)); // new epoch: a baseline, no advance
      d.apply(new Tick(9, 1300, 10_000));
    }
    assertThat(copy.sm.digest()).isEqualTo(r.sm.digest());
    assertThat(copy.sm.lock("L").orElseThrow().holder()).isEqualTo(b);
    assertThat(copy.sm.session(a)).isEmpty();
  }

  @Test
  void corruptSnapshotIsRejectedWithFieldAndOffset() throws Exception {
    r.apply(new Put("x", "1"));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    r.sm.snapshot(bytes);
    byte[] snap = bytes.toByteArray();
    byte[] badMagic = snap.clone();
    badMagic[0] = 0;
    assertThatThrownBy(() -> new ReplicaDriver().sm.restore(new ByteArrayInputStream(badMagic)))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageStartingWith("kv snapshot: bad magic at offset 0");
    byte[] cut = java.util.Arrays.copyOf(snap, 20);
    assertThatThrownBy(() -> new ReplicaDriver().sm.restore(new ByteArrayInputStream(cut)))
        .hasMessageContaining("offset 17: input ends early");
  }

  @Test
  void replicasFedTheSameTxnsAgreeOnTheDigest() {
    ReplicaDriver other = new ReplicaDriver();
    for (ReplicaDriver d : List.of(r, other)) {
      long s = d.openSession(100);
      d.apply(new Tick(1, 0, 10_000));
      d.apply(new Put("k", "v"));
      d.apply(new Acquire("L", s, true));
      d.apply(new Tick(1, 500, 10_000));
    }
    assertThat(other.sm.digest()).isEqualTo(r.sm.digest());
    assertThat(r.sm.lock("L")).isEmpty(); // the holder expired; no waiter
  }
}
