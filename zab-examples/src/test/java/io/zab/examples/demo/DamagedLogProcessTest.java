package io.zab.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.examples.client.KvClient;
import io.zab.examples.testing.Await;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 on real processes (docs/operations.md, "Corruption"; docs/protocol.md, "Repair"): three
 * {@code ZabKvServer} processes; all are SIGKILLed, one follower's log segment gets a bit flipped inside the payload
 * of a record in its middle, and the whole cluster is started again. With no operator action the damaged server
 * logs an ERROR naming the segment file and the record's byte offset, sets the segment aside into
 * {@code dataDir/quarantine}, is synced by the leader the other two elect, logs "repair done", and serves every key
 * from local reads (S5: it did not vote while its log lacked what it had acknowledged).
 */
@Tag("slow")
class DamagedLogProcessTest {
  private static final long[] IDS = {1, 2, 3};
  private static final Duration SETTLE = Duration.ofSeconds(30);
  private static final int KEYS = 60;
  /** Segment layout (zab-core's SegmentFormat, version 2): a 20-byte header, then records of a 17-byte header. */
  private static final int SEGMENT_HEADER_BYTES = 20;
  private static final int RECORD_HEADER_BYTES = 17;
  /** Valid records the flipped one must have on each side: damage in the middle, not a torn tail. */
  private static final int MARGIN = 10;

  @TempDir
  Path dir;

  private ServerProcesses servers;

  @AfterEach
  void killEveryProcess() throws InterruptedException {
    if (servers != null) {
      servers.close();
    }
  }

  @Test
  void s5_aFollowerWithAByteFlippedMidSegmentRepairsAndRejoinsWithEveryKey() throws Exception {
    servers = new ServerProcesses(dir, IDS);
    startAll();
    long leader = settled();
    long victim = leader == 1 ? 2 : 1;
    Map<String, String> written = new TreeMap<>();
    for (int i = 0; i < KEYS; i++) {
      String key = "key-" + i;
      String value = "value-" + i;
      assertThat(servers.client(IDS[i % 3]).put(key, value).status()).as("put %s", key).isEqualTo(200);
      written.put(key, value);
    }
    // Applied on the victim implies logged there: its segment then holds every key.
    awaitEveryKeyOn(victim, written);

    for (long id : IDS) {
      servers.kill(id);
    }
    Path dataDir = dir.resolve("node-" + victim);
    Flip flip = flipMidSegment(dataDir.resolve("log"));

    startAll();
    KvClient c = servers.client(victim);
    try {
      Await.until("server " + victim + " repaired (no marker) and FOLLOWING", SETTLE,
          () -> !Files.exists(dataDir.resolve("repairing")) && "FOLLOWING".equals(c.status().text("role")));
      awaitEveryKeyOn(victim, written);
      written.put("after-repair", "new");
      assertThat(servers.client(settled()).put("after-repair", "new").status()).isEqualTo(200);
      awaitEveryKeyOn(victim, written);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\n" + servers.logs(), e);
    }

    String log = Files.readString(servers.log(victim));
    String damaged = "server " + victim + ": transaction log damaged: " + flip.segment() + " at byte offset "
        + flip.recordOffset() + ": record checksum mismatch";
    String done = "server " + victim + ": repair done";
    assertThat(log).as("server %d's log", victim).contains(damaged).contains("REPAIRING from the ensemble")
        .contains(done);
    assertThat(log.indexOf(done)).as("repair done after the damage was found").isGreaterThan(log.indexOf(damaged));
    assertThat(log.lines().filter(l -> l.contains(damaged))).as("the ERROR line").singleElement().asString()
        .contains("ERROR");
    Path quarantined = dataDir.resolve("quarantine")
        .resolve(flip.segment().getFileName() + ".damaged-at-" + flip.recordOffset());
    assertThat(quarantined).as("the damaged segment, set aside whole").exists();
    assertThat(Files.readAllBytes(quarantined)).isEqualTo(flip.bytes());
    assertThat(dataDir.resolve("repairing")).doesNotExist();
  }

  private void startAll() throws IOException {
    for (long id : IDS) {
      servers.start(id, List.of("--peers", servers.peers(IDS)));
    }
  }

  private long settled() {
    return servers.settledLeader(SETTLE, IDS);
  }

  /** Local reads (no sync barrier): what server {@code id} itself has applied. */
  private void awaitEveryKeyOn(long id, Map<String, String> written) {
    KvClient c = servers.client(id);
    List<String> wrong = new ArrayList<>();
    try {
      Await.until("every key on server " + id, SETTLE, () -> {
        wrong.clear();
        written.forEach((k, v) -> {
          String got = c.get(k, false).text("value");
          if (!v.equals(got)) {
            wrong.add(k + "=" + got);
          }
        });
        return wrong.isEmpty();
      });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; keys with another value on server " + id + ": " + wrong, e);
    }
  }

  /** The segment written, the start of the record whose payload has a bit flipped, and the file as written. */
  private record Flip(Path segment, long recordOffset, byte[] bytes) {}

  /**
   * Flips one bit in the middle of the payload of the middle record of the segment with the most records, after
   * checking (by its checksum) that the record is valid and that {@link #MARGIN} records precede and follow it.
   */
  private static Flip flipMidSegment(Path logDir) throws IOException {
    Path segment;
    try (Stream<Path> files = Files.list(logDir)) {
      segment = files.filter(f -> f.getFileName().toString().matches("log\\.[0-9a-f]{16}"))
          .max(Comparator.comparingInt(f -> recordOffsets(f).size())).orElseThrow();
    }
    byte[] b = Files.readAllBytes(segment);
    List<Integer> records = recordOffsets(segment);
    assertThat(records).as("records in %s", segment).hasSizeGreaterThan(2 * MARGIN);
    int at = records.get(records.size() / 2);
    ByteBuffer r = ByteBuffer.wrap(b);
    int len = r.getInt(at);
    assertThat(len).as("payload length of the record at %d", at).isPositive();
    CRC32C crc = new CRC32C();
    crc.update(b, at + 8, 9 + len); // zxid, kind, payload
    assertThat((int) crc.getValue()).as("checksum of the record at %d before the flip", at).isEqualTo(r.getInt(at + 4));
    b[at + RECORD_HEADER_BYTES + len / 2] ^= 0x10;
    Files.write(segment, b);
    return new Flip(segment, at, b);
  }

  /** Where each record of {@code segment} starts (walking the length fields; version 2 segments only). */
  private static List<Integer> recordOffsets(Path segment) {
    try {
      ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(segment));
      assertThat(b.getInt(0)).as("magic of %s", segment).isEqualTo(0x5A41424C);
      assertThat(b.getInt(4)).as("format version of %s", segment).isEqualTo(2);
      List<Integer> offsets = new ArrayList<>();
      int at = SEGMENT_HEADER_BYTES;
      while (at + RECORD_HEADER_BYTES <= b.limit()) {
        offsets.add(at);
        at += RECORD_HEADER_BYTES + b.getInt(at);
      }
      return offsets;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
