package io.zab.nemesis;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a server was given txns that did not follow the last it had logged, from the servers' logs: a follower refuses
 * such a proposal or sync and leaves its leader. The faults of a run never reorder a connection (TCP keeps its order,
 * and a follower leaves its leader when a connection ends), so each such line is a bug of the sender: a message that
 * overtook an earlier one on its connection, or one dropped from its middle. Once, a received message's batch run on a
 * Netty event loop wrote ahead of the protocol thread's earlier writes queued on that loop, and the followers kept
 * leaving: the cluster was without a leader for 83% of a run, with no write lost. This makes that visible.
 *
 * @param lines the lines found ({@code <file>: <line>}), at most {@link #KEPT}
 * @param count how many there were
 */
record OutOfOrderSeen(List<String> lines, int count) {
  static final String GAP = "does not follow the last logged zxid";
  static final int KEPT = 5;

  /** Looks through every {@code node-*.log} of {@code dir}. */
  static OutOfOrderSeen in(Path dir) throws IOException {
    List<String> found = new ArrayList<>();
    int[] count = {0};
    ServerLogs.forEachLine(dir, (file, line) -> {
      if (line.contains(GAP)) {
        if (count[0]++ < KEPT) {
          found.add(file + ": " + line);
        }
      }
    });
    return new OutOfOrderSeen(List.copyOf(found), count[0]);
  }

  /** One problem per line kept, and one for the rest; none if there were none. */
  List<String> problems() {
    List<String> out = new ArrayList<>();
    lines.forEach(l -> out.add("txns out of order on a connection: " + l));
    if (count > lines.size()) {
      out.add((count - lines.size()) + " more lines of txns out of order in the servers' logs");
    }
    return out;
  }
}
