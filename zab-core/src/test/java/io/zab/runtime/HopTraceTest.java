package io.zab.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.Zxid;
import io.zab.protocol.Event;
import io.zab.wire.Message;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hand-off trace: off unless the system property names a directory; then one row per stamp, in order. */
class HopTraceTest {
  @TempDir
  Path dir;

  @Test
  void offByDefaultItStampsNothingAndWritesNothing() throws IOException {
    assertThat(System.getProperty(HopTrace.PROPERTY)).isNull(); // the build sets none
    assertThat(HopTrace.fromSystemProperty(7).enabled()).isFalse();
    HopTrace trace = HopTrace.into(7, "");
    assertThat(trace.enabled()).isFalse();
    trace.stamp(HopTrace.Hop.SUBMIT, 1);
    trace.close();
    try (var files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void enabledItWritesEachStampAsARowOnClose() throws IOException {
    HopTrace trace = HopTrace.into(7, dir.toString());
    assertThat(trace.enabled()).isTrue();
    trace.stamp(HopTrace.Hop.SUBMIT, 11);
    trace.batchTaken(List.of(new Event.Submit(11, new byte[1]), new Event.Persisted(new Zxid(5))));
    trace.pair(11, new Zxid(5));
    trace.received(new Message.Ack(new Zxid(5)), HopTrace.Hop.PROPOSAL_IN, HopTrace.Hop.ACK_IN);
    trace.close();
    List<String> rows = Files.readAllLines(dir.resolve("hops-7.csv"));
    assertThat(rows).extracting(r -> r.substring(0, r.lastIndexOf(',')))
        .containsExactly("SUBMIT,11", "SUBMIT_TAKEN,11", "PERSISTED_TAKEN,5", "COMPLETE,11", "ACK_IN,5");
    assertThat(rows.get(3)).isEqualTo("COMPLETE,11,5"); // the pairing row holds the zxid, not a time
  }
}
