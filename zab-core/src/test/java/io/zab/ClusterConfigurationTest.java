package io.zab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The public configuration value: sorted, validated, derived changes keep the version (compare-and-set). */
class ClusterConfigurationTest {
  private static final ClusterConfiguration ONE = ClusterConfiguration.of(List.of(new Member(1, "a", 1)));

  @Test
  void derivedConfigurationsKeepTheVersionAndStaySorted() {
    ClusterConfiguration c = new ClusterConfiguration(7, List.of(new Member(3, "c", 3), new Member(1, "a", 1)),
        List.of(new Member(2, "b", 2)));
    assertThat(c.voters()).extracting(Member::id).containsExactly(1L, 3L);
    ClusterConfiguration d = c.withVoter(new Member(2, "b", 2)).without(3).withObserver(new Member(4, "d", 4));
    assertThat(d.version()).isEqualTo(7);
    assertThat(d.voterIds()).containsExactly(1L, 2L);
    assertThat(d.observerIds()).containsExactly(4L);
    assertThat(d.members()).extracting(Member::id).containsExactly(1L, 2L, 4L);
  }

  /** Found by the randomized membership simulation: moving the only voter to another address threw. */
  @Test
  void theOnlyVoterCanMoveToAnotherAddressButNotLeave() {
    ClusterConfiguration moved = ONE.withVoter(new Member(1, "b", 2));
    assertThat(moved.voters()).containsExactly(new Member(1, "b", 2));
    assertThatThrownBy(() -> ONE.without(1)).hasMessageContaining("at least one voter");
    assertThatThrownBy(() -> ONE.withObserver(new Member(1, "a", 1))).hasMessageContaining("at least one voter");
  }

  @Test
  void aServerListedTwiceIsRefused() {
    assertThatThrownBy(() -> new ClusterConfiguration(0, List.of(new Member(1, "a", 1)), List.of(new Member(1, "a",
        1)))).hasMessageContaining("listed twice");
  }
}
