package io.zab.storage;

import io.zab.FileSyncer;
import io.zab.Zxid;
import io.zab.wire.SnapshotHeader;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshots of the application state, one file per zxid, each checksummed and only ever visible complete
 * (streamed to a temp file, renamed when committed). Leftover temp files are removed on open. A snapshot's content
 * is a {@link SnapshotHeader} (the membership at its zxid) followed by the state machine's bytes: writers write the
 * header first, {@link #open} always returns content in that form (see {@link SnapshotFormat} for older files).
 *
 * <pre>{@code
 * SnapshotStore store = SnapshotStore.open(dir);
 * try (SnapshotWriter w = store.begin(appliedZxid)) {
 *   w.output().write(SnapshotHeader.encode(membership));
 *   state.writeTo(w.output());
 *   w.commit();
 * }
 * Optional<Zxid> latest = store.latest();          // newest snapshot that verifies
 * try (InputStream in = store.open(latest.get())) { // throws CorruptSnapshotException at the end if bad
 *   Membership m = SnapshotHeader.read(in);
 *   state.readFrom(in);
 * }
 * }</pre>
 */
public final class SnapshotStore {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotStore.class);

  private final Path dir;
  private final FileSyncer syncer;

  private SnapshotStore(Path dir, FileSyncer syncer) {
    this.dir = dir;
    this.syncer = syncer;
  }

  /** {@link #open(Path, FileSyncer)} with the operating system's fsync. */
  public static SnapshotStore open(Path dir) throws IOException {
    return open(dir, FileSyncer.SYSTEM);
  }

  /**
   * Opens (creating if needed) the snapshots of {@code dir}, removing unfinished ones.
   *
   * @param syncer the node's fsync hook: every directory fsync of the store goes through it (a snapshot file's own
   *     fsync does not)
   */
  public static SnapshotStore open(Path dir, FileSyncer syncer) throws IOException {
    Directories.createDurably(dir, syncer);
    for (Path p : Directories.list(dir, SnapshotFormat.GLOB + ".tmp")) {
      LOG.info("Removing unfinished snapshot {}", p);
      Files.delete(p);
    }
    Directories.sync(dir, syncer);
    return new SnapshotStore(dir, syncer);
  }

  /** The directory holding the snapshot files. */
  public Path directory() {
    return dir;
  }

  /** Starts writing the snapshot of the state after {@code zxid}. */
  public SnapshotWriter begin(Zxid zxid) throws IOException {
    Path target = SnapshotFormat.fileFor(dir, zxid);
    if (Files.exists(target)) {
      throw new IllegalStateException("snapshot " + target + " already exists");
    }
    return new SnapshotWriter(AtomicFiles.tempFor(target), target, syncer);
  }

  /** The zxids of all snapshot files, ascending (not verified; see {@link #latest()}). */
  public List<Zxid> list() throws IOException {
    List<Zxid> out = new ArrayList<>();
    for (Path p : Directories.list(dir, SnapshotFormat.GLOB)) {
      Zxid z = SnapshotFormat.zxidOf(p);
      if (z != null) {
        out.add(z);
      }
    }
    out.sort(null);
    return out;
  }

  /** The newest snapshot whose checksum verifies; corrupt newer ones are skipped with an error log. */
  public Optional<Zxid> latest() throws IOException {
    List<Zxid> all = list();
    for (int i = all.size() - 1; i >= 0; i--) {
      Zxid z = all.get(i);
      try (InputStream in = open(z)) {
        in.transferTo(OutputStream.nullOutputStream());
        return Optional.of(z);
      } catch (CorruptSnapshotException e) {
        LOG.error("Skipping corrupt snapshot: {}", e.getMessage());
      }
    }
    return Optional.empty();
  }

  /**
   * Opens a snapshot's content. The trailer is checked now; the checksum when the stream reaches its end, where
   * a mismatch throws {@link CorruptSnapshotException}. Read it to the end before trusting what it gave.
   */
  public InputStream open(Zxid zxid) throws IOException {
    Path file = SnapshotFormat.fileFor(dir, zxid);
    Trailer t = readTrailer(file);
    InputStream content = new VerifyingInput(file, new BufferedInputStream(Files.newInputStream(file), 64 * 1024),
        t.length(), t.crc());
    if (t.magic() == SnapshotFormat.MAGIC_V1) {
      // written before snapshots recorded their membership: present it with a header saying "unknown"
      return new SequenceInputStream(new ByteArrayInputStream(SnapshotHeader.encode(null)), content);
    }
    return content;
  }

  /** The content size of a snapshot in bytes. */
  public long size(Zxid zxid) throws IOException {
    return readTrailer(SnapshotFormat.fileFor(dir, zxid)).length();
  }

  /**
   * Moves every snapshot newer than {@code zxid} (they failed verification: {@link #latest()} is at most {@code zxid})
   * into {@code quarantineDir}, durably, so that none is ever served or restored; returns where they went.
   */
  public List<Path> quarantineNewerThan(Zxid zxid, Path quarantineDir) throws IOException {
    List<Path> moved = new ArrayList<>();
    for (Zxid z : list()) {
      if (z.isAfter(zxid)) {
        moved.add(setAside(z, quarantineDir));
      }
    }
    return moved;
  }

  /**
   * Moves the snapshot at {@code zxid} (found damaged) into {@code quarantineDir}, durably, under a name no earlier
   * quarantined file has (nothing is ever replaced or deleted there); returns where it went.
   */
  public Path setAside(Zxid zxid, Path quarantineDir) throws IOException {
    Directories.createDurably(quarantineDir, syncer);
    Path file = SnapshotFormat.fileFor(dir, zxid);
    String name = file.getFileName() + ".damaged";
    Path target = quarantineDir.resolve(name);
    for (int n = 1; Files.exists(target); n++) {
      target = quarantineDir.resolve(name + "." + n);
    }
    Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
    Directories.sync(quarantineDir, syncer);
    Directories.sync(dir, syncer);
    return target;
  }

  /** Deletes every snapshot older than {@code zxid}; returns how many. */
  public int deleteOlderThan(Zxid zxid) throws IOException {
    int n = 0;
    for (Zxid z : list()) {
      if (z.isBefore(zxid)) {
        Files.delete(SnapshotFormat.fileFor(dir, z));
        n++;
      }
    }
    if (n > 0) {
      Directories.sync(dir, syncer);
    }
    return n;
  }

  private record Trailer(int magic, long length, int crc) {}

  /** Reads the trailer and checks its magic and length against the file size. */
  private static Trailer readTrailer(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < SnapshotFormat.TRAILER_BYTES) {
        throw new CorruptSnapshotException(file, "shorter (" + size + " bytes) than the trailer");
      }
      ByteBuffer t = ByteBuffer.allocate(SnapshotFormat.TRAILER_BYTES);
      while (t.hasRemaining()) {
        if (ch.read(t, size - SnapshotFormat.TRAILER_BYTES + t.position()) < 0) {
          throw new CorruptSnapshotException(file, "file shrank while reading");
        }
      }
      int magic = t.getInt(0);
      if (magic != SnapshotFormat.MAGIC && magic != SnapshotFormat.MAGIC_V1) {
        throw new CorruptSnapshotException(file, "bad trailer magic at offset " + (size - SnapshotFormat.TRAILER_BYTES));
      }
      long length = t.getLong(4);
      if (length != size - SnapshotFormat.TRAILER_BYTES) {
        throw new CorruptSnapshotException(file, "trailer says " + length + " content bytes, file holds "
            + (size - SnapshotFormat.TRAILER_BYTES));
      }
      return new Trailer(magic, length, t.getInt(12));
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(file.toString(), null, "no such snapshot");
    }
  }

  /** Counts and checksums the content as it is read; verifies at the end. */
  private static final class VerifyingInput extends FilterInputStream {
    private final Path file;
    private final int expectedCrc;
    private final CRC32C crc = new CRC32C();
    private long remaining;
    private boolean verified;

    VerifyingInput(Path file, InputStream in, long length, int expectedCrc) {
      super(in);
      this.file = file;
      this.remaining = length;
      this.expectedCrc = expectedCrc;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (remaining == 0) {
        verify();
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, remaining));
      if (n < 0) {
        throw new CorruptSnapshotException(file, "ended " + remaining + " bytes early");
      }
      crc.update(b, off, n);
      remaining -= n;
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      throw new UnsupportedOperationException("read the snapshot to verify it");
    }

    @Override
    public int available() {
      return (int) Math.min(Integer.MAX_VALUE, remaining);
    }

    @Override
    public boolean markSupported() {
      return false;
    }

    private void verify() throws IOException {
      if (!verified && (int) crc.getValue() != expectedCrc) {
        throw new CorruptSnapshotException(file, "content checksum mismatch");
      }
      verified = true;
    }
  }
}
