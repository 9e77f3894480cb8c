package io.zab.protocol;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Payloads of the older txns of the {@link InMemoryLog}, copied back to back into large pages. Why: the log holds
 * every txn since the newest snapshot (plus some before it) for followers that fall behind, thousands of payload
 * arrays that outlive a young garbage collection and were copied by it, in its pause, once or twice each. A page is
 * one array just under a G1 region of a small heap (1 MiB), so the collector allocates it directly among old
 * objects and never copies it; with larger regions it is copied once, as one block. That, not the collector's
 * tuning, keeps the pauses short under load.
 *
 * <p>Freed pages are kept and filled again rather than left to the collector: every new page is a humongous
 * allocation, and once the heap is as full as G1's marking threshold each one starts a marking cycle with a young
 * pause of its own (plus a remark and a cleanup pause). Fresh pages at one per 1 MiB of writes did that several times
 * a second under load. At most one more page is kept than the latest release freed: the log refills at the pace it
 * is compacted, so what one snapshot's compaction frees is what the next interval needs (the one more because
 * intervals and pages do not end together), and after a peak (a burst, a follower far behind) the excess goes at the
 * next release.
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
  /** Freed pages to fill again, at most one more than the latest release freed. */
  private final ArrayDeque<byte[]> spare = new ArrayDeque<>();
  /** Pages allocated so far (tests). */
  private long allocated;
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
      pages.add(newPage());
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
      keepSpare(pages.subList(0, drop));
      firstPage += drop;
    }
  }

  /** Frees every page; later payloads go to other positions (in reused pages). */
  void clear() {
    keepSpare(pages);
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

  /** Freed pages kept to be filled again (tests). */
  int spareCount() {
    return spare.size();
  }

  /** Pages allocated so far, reused ones not counted again (tests). */
  long allocatedCount() {
    return allocated;
  }

  /**
   * Moves the {@code freed} pages (a view of {@link #pages}, emptied here) to the spares, keeping at most one more
   * spare than were freed. A reused page still holds old payload bytes; nothing reads them, since every position read
   * was written after the page was taken.
   */
  private void keepSpare(List<byte[]> freed) {
    int keep = freed.size() + 1;
    spare.addAll(freed);
    freed.clear();
    while (spare.size() > keep) {
      spare.pollFirst();
    }
  }

  private byte[] newPage() {
    byte[] page = spare.pollLast();
    if (page == null) {
      allocated++;
      page = new byte[PAGE_BYTES];
    }
    return page;
  }

  private byte[] pageAt(long page) {
    if (page < firstPage || page >= firstPage + pages.size()) {
      throw new IllegalStateException("payload page " + page + " was released (held: " + firstPage + " to "
          + (firstPage + pages.size() - 1) + ")");
    }
    return pages.get((int) (page - firstPage));
  }
}
