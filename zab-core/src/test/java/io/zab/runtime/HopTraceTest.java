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
  void offByDefault() {
    assertThat(System.getProperty(HopTrace.PROPERTY)).isNull(); // the build sets none
    assertThat(HopTrace.fromSystemProperty(7).enabled()).isFalse();
  }

  @Test
  void offItStampsNothingAndWritesNothingWhereOnWouldWrite() throws IOException {
    // The same run, resolved against the same directory: on, it writes the file there; off (a blank setting), nothing.
    // A trace that ignored the blank setting would resolve it to the directory itself and write its file into it.
    assertThat(traceOneWrite("")).isEmpty();
    assertThat(traceOneWrite("  ")).isEmpty();
    assertThat(traceOneWrite(".")).containsExactly(dir.resolve("hops-7.csv"));
  }

  /** Stamps one write with a trace of {@code setting} resolved against {@link #dir}; returns the files it left. */
  private List<Path> traceOneWrite(String setting) throws IOException {
    HopTrace trace = HopTrace.into(7, dir, setting);
    assertThat(trace.enabled()).isEqualTo(!setting.isBlank());
    trace.stamp(HopTrace.Hop.SUBMIT, 1);
    trace.pair(1, new Zxid(5));
    trace.close();
    try (var files = Files.list(dir)) {
      return files.toList();
    }
  }

  @Test
  void enabledItWritesEachStampAsARowOnClose() throws IOException {
    HopTrace trace = HopTrace.into(7, dir, "trace");
    assertThat(trace.enabled()).isTrue();
    trace.stamp(HopTrace.Hop.SUBMIT, 11);
    trace.batchTaken(List.of(new Event.Submit(11, new byte[1]), new Event.Persisted(new Zxid(5))));
    trace.pair(11, new Zxid(5));
    trace.received(new Message.Ack(new Zxid(5)), HopTrace.Hop.PROPOSAL_IN, HopTrace.Hop.ACK_IN);
    trace.close();
    List<String> rows = Files.readAllLines(dir.resolve("trace").resolve("hops-7.csv"));
    assertThat(rows).extracting(r -> r.substring(0, r.lastIndexOf(',')))
        .containsExactly("SUBMIT,11", "SUBMIT_TAKEN,11", "PERSISTED_TAKEN,5", "COMPLETE,11", "ACK_IN,5");
    assertThat(rows.get(3)).isEqualTo("COMPLETE,11,5"); // the pairing row holds the zxid, not a time
  }
}
