package io.zab.protocol;

import java.util.ArrayList;
import java.util.Arrays;

/**
 * Payloads of the older txns of the {@link InMemoryLog}, copied back to back into large pages. Why: the log holds
 * every txn since the newest snapshot (plus some before it) for followers that fall behind, thousands of payload
 * arrays that outlive a young garbage collection and were copied by it, in its pause, once or twice each. A page is
 * one array just under a G1 region of a small heap (1 MiB), so the collector allocates it directly among old
 * objects and never copies it; with larger regions it is copied once, as one block. That, not the collector's
 * tuning, keeps the pauses short under load.
 *
 * <p>Positions are byte offsets in one sequence that only grows: page {@code p} holds positions
 * {@code [p * PAGE_BYTES, (p + 1) * PAGE_BYTES)}, and a payload never straddles two pages.
 */
final class PayloadPages {
  /** A page: just under 1 MiB, so that with 1 MiB regions it fits one region with its array header. */
  static final int PAGE_BYTES = (1 << 20) - 64;
  /** Larger payloads are not copied into pages (each is a large array of its own already). */
  static final int MAX_PACKED_BYTES = PAGE_BYTES / 4;

  private final ArrayList<byte[]> pages = new ArrayList<>();
  /** The page number of {@code pages.get(0)}. */
  private long firstPage;
  /** Where the next payload goes. */
  private long end;

  /** Whether a payload of {@code length} bytes is copied into pages (else it stays in its own array). */
  static boolean packs(int length) {
    return length <= MAX_PACKED_BYTES;
  }

  /** Copies {@code payload} (at most {@link #MAX_PACKED_BYTES}) into the pages; returns its position. */
  long add(byte[] payload) {
    long page = end / PAGE_BYTES;
    if (end - page * PAGE_BYTES + payload.length > PAGE_BYTES) {
      page++;
      end = page * PAGE_BYTES;
    }
    if (pages.isEmpty()) {
      firstPage = page;
    }
    while (firstPage + pages.size() <= page) {
      pages.add(new byte[PAGE_BYTES]);
    }
    System.arraycopy(payload, 0, pageAt(page), (int) (end - page * PAGE_BYTES), payload.length);
    long at = end;
    end += payload.length;
    return at;
  }

  /** A copy of the {@code length} bytes at {@code position}. */
  byte[] read(long position, int length) {
    long page = position / PAGE_BYTES;
    int from = (int) (position - page * PAGE_BYTES);
    return Arrays.copyOfRange(pageAt(page), from, from + length);
  }

  /** Frees the pages that hold nothing at or after {@code position} (nothing there is needed any more). */
  void releaseBefore(long position) {
    int drop = (int) Math.min(pages.size(), Math.max(0, position / PAGE_BYTES - firstPage));
    if (drop > 0) {
      pages.subList(0, drop).clear();
      firstPage += drop;
    }
  }

  /** Frees every page; later payloads go to fresh pages. */
  void clear() {
    pages.clear();
    end = (end / PAGE_BYTES + 1) * PAGE_BYTES;
    firstPage = end / PAGE_BYTES;
  }

  /** Where the next payload goes: every payload added so far lies before it. */
  long end() {
    return end;
  }

  /** Pages held (each {@link #PAGE_BYTES}). */
  int pageCount() {
    return pages.size();
  }

  private byte[] pageAt(long page) {
    if (page < firstPage || page >= firstPage + pages.size()) {
      throw new IllegalStateException("payload page " + page + " was released (held: " + firstPage + " to "
          + (firstPage + pages.size() - 1) + ")");
    }
    return pages.get((int) (page - firstPage));
  }
}
