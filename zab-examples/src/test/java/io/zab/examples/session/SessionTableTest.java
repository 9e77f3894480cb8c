package io.zab.examples.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SessionTableTest {

  @Test
  void s9_clockAdvancesByDifferenceOfReadingsOfOneSource() {
    SessionTable t = new SessionTable();
    t.tick(1, 7, 1_000_000, 5000); // first reading of a source: baseline only
    assertThat(t.clockMillis()).isZero();
    t.tick(1, 7, 1_000_300, 5000);
    t.tick(1, 7, 1_000_500, 5000);
    assertThat(t.clockMillis()).isEqualTo(500);
  }

  @Test
  void s9_newLeaderOrEpochDoesNotCountTheGap() {
    SessionTable t = new SessionTable();
    t.tick(1, 7, 1000, 5000);
    t.tick(1, 7, 1400, 5000);
    t.tick(2, 8, 99_999_999, 5000); // another process's clock: not comparable, only a new baseline
    assertThat(t.clockMillis()).isEqualTo(400);
    t.tick(3, 8, 100_000_099, 5000); // same process, new epoch: baseline again
    assertThat(t.clockMillis()).isEqualTo(400);
    t.tick(3, 8, 100_000_199, 5000);
    assertThat(t.clockMillis()).isEqualTo(500);
  }

  @Test
  void s9_advancePerTickIsCappedAndClockNeverGoesBack() {
    SessionTable t = new SessionTable();
    t.tick(1, 7, 0, 100);
    t.tick(1, 7, 60_000, 100); // a stalled leader must not expire every session at once
    assertThat(t.clockMillis()).isEqualTo(100);
    t.tick(1, 7, 59_000, 100); // a reading that went back advances nothing
    assertThat(t.clockMillis()).isEqualTo(100);
  }

  @Test
  void s9_idleSessionExpiresAndHeartbeatKeepsOneAlive() {
    SessionTable t = new SessionTable();
    t.open(11, 1000);
    t.open(12, 1000);
    t.tick(1, 7, 0, 10_000);
    t.tick(1, 7, 800, 10_000);
    assertThat(t.touch(12)).isTrue();
    assertThat(t.tick(1, 7, 1000, 10_000)).isEmpty(); // 11 idle 1000 ms: not yet more than its timeout
    assertThat(t.tick(1, 7, 1001, 10_000)).containsExactly(11L);
    assertThat(t.get(11)).isEmpty();
    assertThat(t.touch(11)).isFalse();
    assertThat(t.tick(1, 7, 1800, 10_000)).isEmpty();
    assertThat(t.tick(1, 7, 1801, 10_000)).containsExactly(12L);
    assertThat(t.size()).isZero();
  }

  @Test
  void closeRemovesOnlyExistingSessions() {
    SessionTable t = new SessionTable();
    t.open(5, 1000);
    assertThat(t.close(5)).isTrue();
    assertThat(t.close(5)).isFalse();
  }

  @Test
  void s9_idleGapBeforeTheFirstSessionIsNotCounted() {
    SessionTable t = new SessionTable();
    t.tick(1, 7, 0, 5000);
    t.open(1, 1000); // the leader skipped ticks while no session existed
    assertThat(t.tick(1, 7, 4000, 5000)).isEmpty();
    assertThat(t.clockMillis()).isZero();
    t.open(2, 1000); // not the first session: the baseline stays
    assertThat(t.tick(1, 7, 4500, 5000)).isEmpty();
    assertThat(t.clockMillis()).isEqualTo(500);
  }
}
