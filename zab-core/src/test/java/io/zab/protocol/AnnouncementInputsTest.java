package io.zab.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.ClusterConfiguration;
import io.zab.Member;
import io.zab.wire.Membership;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The replica recomputes its membership announcement only when one of these inputs changed. */
class AnnouncementInputsTest {
  private final Membership a = Membership.stable(ClusterConfiguration.of(List.of(Member.local(1), Member.local(2))));
  private final Membership b = Membership.stable(ClusterConfiguration.of(List.of(Member.local(1), Member.local(3))));

  @Test
  void nothingRememberedIsNeverTheSame() {
    assertThat(new AnnouncementInputs().same(0, false, null, a, List.of())).isFalse();
  }

  @Test
  void theSameInputsAreTheSameAndAnyChangedOneIsNot() {
    AnnouncementInputs in = new AnnouncementInputs();
    in.remember(3, false, null, a, List.of(Member.local(4)));
    assertThat(in.same(3, false, null, a, List.of(Member.local(4)))).isTrue();
    assertThat(in.same(4, false, null, a, List.of(Member.local(4)))).isFalse();
    assertThat(in.same(3, true, null, a, List.of(Member.local(4)))).isFalse();
    assertThat(in.same(3, false, b, a, List.of(Member.local(4)))).isFalse();
    assertThat(in.same(3, false, null, b, List.of(Member.local(4)))).isFalse();
    assertThat(in.same(3, false, null, a, List.of(Member.local(5)))).isFalse();
    assertThat(in.same(3, false, null, a, List.of())).isFalse();
  }

  @Test
  void aLiveViewOfExtraPeersThatChangedIsNotTheSame() {
    // the leader passes a view of its learners: the same collection object with other elements
    List<Member> learners = new ArrayList<>(List.of(Member.local(4)));
    AnnouncementInputs in = new AnnouncementInputs();
    in.remember(1, false, null, a, learners);
    learners.add(Member.local(5));
    assertThat(in.same(1, false, null, a, learners)).isFalse();
    learners.remove(0);
    in.remember(1, false, null, a, learners);
    assertThat(in.same(1, false, null, a, learners)).isTrue();
  }
}
