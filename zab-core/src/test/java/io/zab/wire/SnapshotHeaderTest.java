package io.zab.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zab.ClusterConfiguration;
import io.zab.Member;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 11: a snapshot's content starts with the membership in force at its zxid. */
class SnapshotHeaderTest {
  private static final Membership M = Membership.stable(new ClusterConfiguration(42,
      List.of(new Member(1, "a", 1), new Member(2, "b", 2)), List.of(new Member(3, "c", 3))));

  @Test
  void readLeavesTheStreamAtTheStateMachinesBytes() throws IOException {
    for (Membership m : Arrays.asList(M, null)) {
      byte[] header = SnapshotHeader.encode(m);
      byte[] content = concat(header, new byte[] {5, 6, 7});
      InputStream in = new ByteArrayInputStream(content);
      assertThat(SnapshotHeader.read(in)).isEqualTo(m);
      assertThat(in.readAllBytes()).containsExactly(5, 6, 7);
    }
  }

  @Test
  void theParserReadsAHeaderSplitAnywhereAcrossChunks() throws IOException {
    byte[] content = concat(SnapshotHeader.encode(M), new byte[] {1, 2, 3, 4});
    for (int cut = 1; cut < content.length; cut++) {
      for (int cut2 = cut; cut2 < content.length; cut2 += 3) {
        SnapshotHeader.Parser p = new SnapshotHeader.Parser();
        p.accept(Arrays.copyOfRange(content, 0, cut));
        p.accept(Arrays.copyOfRange(content, cut, cut2));
        assertThat(p.accept(Arrays.copyOfRange(content, cut2, content.length))).as("cuts %d %d", cut, cut2).isTrue();
        assertThat(p.membership()).isEqualTo(M);
      }
    }
  }

  @Test
  void aStreamThatIsNotAHeaderIsRefusedWithTheReason() {
    byte[] header = SnapshotHeader.encode(M);
    byte[] magic = header.clone();
    magic[0] = 'X';
    assertThatThrownBy(() -> SnapshotHeader.read(new ByteArrayInputStream(magic)))
        .isInstanceOf(SnapshotHeader.IllegalHeaderException.class).hasMessageContaining("not a zab snapshot header");
    byte[] version = header.clone();
    version[4] = 9;
    assertThatThrownBy(() -> SnapshotHeader.read(new ByteArrayInputStream(version)))
        .hasMessageContaining("unsupported snapshot header version 9");
    assertThatThrownBy(() -> SnapshotHeader.read(new ByteArrayInputStream(Arrays.copyOf(header, header.length - 1))))
        .isInstanceOf(EOFException.class).hasMessageContaining("inside its header's membership");
    assertThatThrownBy(() -> new SnapshotHeader.Parser().accept(magic))
        .isInstanceOf(SnapshotHeader.IllegalHeaderException.class);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
