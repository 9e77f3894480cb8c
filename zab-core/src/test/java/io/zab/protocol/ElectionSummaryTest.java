package io.zab.protocol;

import static io.zab.protocol.S5RoundRulesTest.vote;
import static org.assertj.core.api.Assertions.assertThat;

import io.zab.Role;
import io.zab.Zxid;
import io.zab.protocol.Action.ElectionConcluded;
import io.zab.protocol.Action.RoleChanged;
import io.zab.protocol.Action.SaveCurrentEpoch;
import io.zab.wire.Message.Diff;
import io.zab.wire.Message.LeaderInfo;
import io.zab.wire.Message.NewLeader;
import io.zab.wire.Message.UpToDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The core reports each election once, when the role it chose is established (S1, S3-S7), with what the runtime's
 * summary line says: epoch, winner, ticks spent, attempts, whose votes were seen.
 */
class ElectionSummaryTest {
  private static final Timing TIMING = new Timing(2, 8, 6, 20, 3);

  private static List<ElectionConcluded> summaries(List<Action> actions) {
    return actions.stream().filter(a -> a instanceof ElectionConcluded).map(a -> (ElectionConcluded) a).toList();
  }

  @Test
  void s3EveryServerOfANewClusterReportsItsElectionOnceWithTheTicksItTook() {
    CoreCluster c = new CoreCluster(3).startAllEstablished();
    for (long sid = 1; sid <= 3; sid++) {
      List<ElectionConcluded> done = summaries(c.actionsOf(sid));
      assertThat(done).as("server %d", sid).hasSize(1);
      ElectionConcluded e = done.get(0);
      assertThat(e.leader()).isEqualTo(3);
      assertThat(e.role()).isEqualTo(sid == 3 ? Role.LEADING : Role.FOLLOWING);
      assertThat(e.epoch()).isEqualTo(c.peer(sid).currentEpoch()).isEqualTo(1);
      assertThat(e.attempts()).isEqualTo(1);
      assertThat(e.votesFrom()).as("its own vote and a quorum's at least").contains(sid).hasSizeGreaterThanOrEqualTo(2)
          .isSorted();
      assertThat(e.ticks()).as("the ticks server %d handled before it was established", sid)
          .isEqualTo(ticksBefore(c, sid, e));
      // After the RoleChanged that names the established role.
      List<Action> all = c.actionsOf(sid);
      int summaryAt = all.indexOf(e);
      RoleChanged announced = (RoleChanged) all.subList(0, summaryAt).stream().filter(a -> a instanceof RoleChanged)
          .reduce((a, b) -> b).orElseThrow();
      assertThat(List.of(announced.role(), announced.leader(), announced.epoch())).containsExactly(e.role(), 3L, 1L);
    }
  }

  @Test
  void aLeaderCrashStartsANewElectionThatIsReportedByTheSurvivors() {
    CoreCluster c = new CoreCluster(3).startAllEstablished();
    c.crash(3);
    c.tickUntil(() -> c.allEstablished(1, 2), 200);
    for (long sid = 1; sid <= 2; sid++) {
      List<ElectionConcluded> done = summaries(c.actionsOf(sid));
      assertThat(done).as("server %d: the first election and the one after the crash", sid).hasSize(2);
      ElectionConcluded second = done.get(1);
      assertThat(second.leader()).isEqualTo(2);
      assertThat(second.epoch()).isEqualTo(2);
      assertThat(second.votesFrom()).containsExactly(1L, 2L);
      assertThat(second.ticks()).as("the syncLimit it took to notice, at least").isPositive();
    }
  }

  @Test
  void anAttemptThatFailsWithinInitLimitBelongsToTheSameElection() {
    Peer p = new Peer(new PeerConfig(1, Set.of(1L, 2L, 3L), TIMING, 1024, 100, 10),
        new PersistentState(0, 0, Zxid.ZERO, List.of()));
    List<Action> out = new ArrayList<>(p.handle(new Event.Start()));
    out.addAll(p.handle(vote(2, 3, Zxid.ZERO, 1, 0)));
    out.addAll(p.handle(vote(3, 3, Zxid.ZERO, 1, 0)));
    assertThat(p.role()).as("decided for 3 in round 1").isEqualTo(Role.FOLLOWING);
    for (int i = 0; i <= TIMING.initLimitTicks(); i++) {
      out.addAll(p.handle(new Event.Tick())); // 3 never answers the join
    }
    assertThat(p.role()).as("back to the election after initLimit").isEqualTo(Role.LOOKING);
    out.addAll(p.handle(vote(2, 3, Zxid.ZERO, 2, 0)));
    out.addAll(p.handle(vote(3, 3, Zxid.ZERO, 2, 0)));
    assertThat(p.role()).as("decided for 3 again, in round 2").isEqualTo(Role.FOLLOWING);
    out.addAll(p.handle(new Event.Tick()));
    out.addAll(p.handle(new Event.Received(3, new LeaderInfo(1))));
    out.addAll(p.handle(new Event.Received(3, new Diff(Zxid.ZERO))));
    out.addAll(p.handle(new Event.Received(3, new NewLeader(1, Zxid.ZERO))));
    assertThat(out).contains(new SaveCurrentEpoch(1));
    assertThat(summaries(out)).as("nothing before the role is established").isEmpty();
    out.addAll(p.handle(new Event.Received(3, new UpToDate(Zxid.ZERO))));

    assertThat(p.established()).isTrue();
    assertThat(summaries(out)).containsExactly(new ElectionConcluded(Role.FOLLOWING, 3, 1,
        TIMING.initLimitTicks() + 2L, 2, List.of(1L, 2L, 3L)));
  }

  /** How many ticks {@code sid} handled before the step that emitted {@code e}. */
  private static long ticksBefore(CoreCluster c, long sid, ElectionConcluded e) {
    long ticks = 0;
    for (CoreCluster.Step s : c.trace) {
      if (s.sid() != sid) {
        continue;
      }
      if (s.actions().contains(e)) {
        return ticks + (s.event() instanceof Event.Tick ? 1 : 0);
      }
      if (s.event() instanceof Event.Tick) {
        ticks++;
      }
    }
    throw new AssertionError("no step of server " + sid + " emitted " + e);
  }
}
