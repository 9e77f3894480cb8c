package io.zab.storage;

import io.zab.Zxid;
import io.zab.wire.Txn;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Iterates the transactions of a {@link TxnLog} after a zxid, in order, as they were when
 * {@link TxnLog#readAfter} was called. I/O errors and damage surface as {@link UncheckedIOException} (damage
 * wraps a {@link CorruptLogException}). Close it when done. Once created (on the thread that owns the log) it
 * may be used from one other thread: it reads only bytes already written, through its own file handles.
 */
public final class LogReader implements Iterator<Txn>, Closeable {
  private final List<Segment> segments;
  private final long activeEnd;
  private final Zxid after;
  private final int maxTxnBytes;
  private int index = -1;
  private SegmentScanner scanner;
  private Txn next;

  LogReader(List<Segment> segments, long activeEnd, Zxid after, int maxTxnBytes) {
    this.segments = segments;
    this.activeEnd = activeEnd;
    this.after = after;
    this.maxTxnBytes = maxTxnBytes;
  }

  @Override
  public boolean hasNext() {
    try {
      while (next == null) {
        if (scanner == null && !openNextSegment()) {
          return false;
        }
        Txn t = scanner.next();
        if (t == null) {
          SegmentScanner.Damage d = scanner.damage();
          if (d != null) {
            throw new CorruptLogException(scanner.file(), d.offset(), d.problem());
          }
          scanner.close();
          scanner = null;
        } else if (t.zxid().isAfter(after)) {
          next = t;
        }
      }
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Txn next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Txn t = next;
    next = null;
    return t;
  }

  private boolean openNextSegment() throws IOException {
    if (index + 1 >= segments.size()) {
      return false;
    }
    index++;
    boolean isActive = index == segments.size() - 1;
    scanner = SegmentScanner.open(segments.get(index).file(), isActive ? activeEnd : -1, maxTxnBytes);
    return true;
  }

  @Override
  public void close() throws IOException {
    if (scanner != null) {
      scanner.close();
      scanner = null;
    }
    index = segments.size();
  }
}
