package io.zab.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zab.ClusterConfiguration;
import io.zab.Member;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 11: the payload of CONFIG txns and the body of snapshot headers has exactly one encoding. */
class MembershipCodecTest {
  private static final ClusterConfiguration OLD = new ClusterConfiguration(0x1_0000_0007L,
      List.of(new Member(1, "10.0.0.1", 2881), new Member(2, "10.0.0.2", 2882), new Member(3, "host-ä", 2883)),
      List.of(new Member(9, "10.0.0.9", 0)));
  private static final ClusterConfiguration NEW = OLD.without(3).withVoter(new Member(4, "10.0.0.4", 2884))
      .withVersion(0);

  @Test
  void stableAndJointMembershipsRoundTrip() {
    for (Membership m : List.of(Membership.stable(OLD), Membership.joint(OLD, NEW))) {
      assertThat(MembershipCodec.decode(MembershipCodec.encode(m))).isEqualTo(m);
    }
  }

  @Test
  void everyTruncationIsRefusedWithItsOffset() {
    byte[] bytes = MembershipCodec.encode(Membership.joint(OLD, NEW));
    for (int n = 0; n < bytes.length; n++) {
      byte[] cut = Arrays.copyOf(bytes, n);
      assertThatThrownBy(() -> MembershipCodec.decode(cut)).as("cut at %d", n)
          .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("bad membership at byte");
    }
  }

  @Test
  void unknownFormatBadFlagAndTrailingBytesAreRefused() {
    byte[] bytes = MembershipCodec.encode(Membership.stable(OLD));
    byte[] format = bytes.clone();
    format[0] = 2;
    assertThatThrownBy(() -> MembershipCodec.decode(format)).hasMessageContaining("unknown membership format 2");
    byte[] flag = bytes.clone();
    flag[1] = 2;
    assertThatThrownBy(() -> MembershipCodec.decode(flag)).hasMessageContaining("joint flag 2");
    byte[] trailing = Arrays.copyOf(bytes, bytes.length + 1);
    assertThatThrownBy(() -> MembershipCodec.decode(trailing)).hasMessageContaining("1 trailing bytes");
  }

  /** Found by MessageCodecFuzzTest: members out of order decoded, then re-encoded sorted, differently. */
  @Test
  void membersOutOfOrderAreRefusedSoThatAConfigurationHasOneEncoding() {
    byte[] bytes = MembershipCodec.encode(Membership.stable(ClusterConfiguration.of(List.of(new Member(1, "a", 1),
        new Member(2, "a", 1)))));
    ByteBuffer b = ByteBuffer.wrap(bytes);
    int first = 2 + 8 + 4;
    int second = first + 8 + 4 + 1 + 4;
    b.putLong(first, 2).putLong(second, 1);
    assertThatThrownBy(() -> MembershipCodec.decode(bytes)).hasMessageContaining("not in ascending order");
  }

  @Test
  void anInvalidConfigurationIsRefused() {
    // a server both voter and observer
    byte[] bytes = MembershipCodec.encode(Membership.stable(new ClusterConfiguration(0, List.of(new Member(1, "a", 1)),
        List.of(new Member(2, "a", 1)))));
    ByteBuffer.wrap(bytes).putLong(2 + 8 + 4 + 8 + 4 + 1 + 4 + 4, 1); // the observer's id becomes 1
    assertThatThrownBy(() -> MembershipCodec.decode(bytes)).hasMessageContaining("listed twice");
    byte[] huge = MembershipCodec.encode(Membership.stable(OLD));
    ByteBuffer.wrap(huge).putInt(2 + 8, Integer.MAX_VALUE);
    assertThatThrownBy(() -> MembershipCodec.decode(huge)).hasMessageContaining("voter count 2147483647 out of range");
  }
}
