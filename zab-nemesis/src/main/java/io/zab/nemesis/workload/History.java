package io.zab.nemesis.workload;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Every recorded operation of a run. Thread-safe. */
public final class History {
  private final List<Op> ops = new ArrayList<>();
  private final AtomicLong ids = new AtomicLong();

  public long nextId() {
    return ids.incrementAndGet();
  }

  public synchronized void add(Op op) {
    ops.add(op);
  }

  /** The operations so far, by call time. */
  public synchronized List<Op> ops() {
    List<Op> copy = new ArrayList<>(ops);
    copy.sort(Comparator.comparingLong(Op::call).thenComparingLong(Op::id));
    return copy;
  }

  public synchronized int size() {
    return ops.size();
  }

  /** Writes the history as tab-separated lines (see {@link Op#toTsv()}). */
  public void write(Path file) throws IOException {
    try (Writer w = Files.newBufferedWriter(file)) {
      w.write(Op.tsvHeader());
      w.write('\n');
      for (Op op : ops()) {
        w.write(op.toTsv());
        w.write('\n');
      }
    }
  }
}
