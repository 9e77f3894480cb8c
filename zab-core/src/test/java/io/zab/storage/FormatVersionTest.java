package io.zab.storage;

import static io.zab.storage.LogFiles.readAll;
import static io.zab.storage.LogFiles.segmentFiles;
import static io.zab.storage.LogFiles.txn;
import static io.zab.storage.LogFiles.writeSegment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zab.ClusterConfiguration;
import io.zab.Member;
import io.zab.Zxid;
import io.zab.wire.Membership;
import io.zab.wire.MembershipCodec;
import io.zab.wire.SnapshotHeader;
import io.zab.wire.Txn;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11: txns got a kind, snapshots a membership header, so both file formats got a new version. Files of the
 * version before are read as what they were (every txn an application txn, the membership unknown), never misread,
 * and never appended to; files of an unknown version are refused with a message naming it.
 */
class FormatVersionTest {
  @TempDir Path dir;

  private static final Txn CONFIG = new Txn(Zxid.of(1, 4), Txn.Kind.CONFIG, MembershipCodec.encode(
      Membership.stable(ClusterConfiguration.of(List.of(Member.local(1), Member.local(2), Member.local(3))))));

  @Test
  void aVersion1SegmentIsReadAsApplicationTxnsAndNewTxnsGoToANewSegment() throws IOException {
    writeSegment(dir, SegmentFormat.VERSION_1, Zxid.ZERO, txn(1, 1), txn(1, 2), txn(1, 3));
    Path old = segmentFiles(dir).get(0);
    byte[] oldBytes = Files.readAllBytes(old);
    try (TxnLog log = TxnLog.open(dir, TxnLogOptions.defaults())) {
      assertThat(readAll(log, Zxid.ZERO)).containsExactly(txn(1, 1), txn(1, 2), txn(1, 3));
      log.append(CONFIG);
      log.append(txn(1, 5));
      log.sync();
    }
    assertThat(Files.readAllBytes(old)).as("the old segment is never written to").isEqualTo(oldBytes);
    assertThat(segmentFiles(dir)).hasSize(2);
    try (TxnLog log = TxnLog.open(dir, TxnLogOptions.defaults())) {
      assertThat(readAll(log, Zxid.ZERO)).containsExactly(txn(1, 1), txn(1, 2), txn(1, 3), CONFIG, txn(1, 5));
    }
  }

  @Test
  void anEmptyVersion1SegmentIsReplacedByOneOfTheCurrentVersion() throws IOException {
    writeSegment(dir, SegmentFormat.VERSION_1, Zxid.of(1, 7));
    try (TxnLog log = TxnLog.open(dir, TxnLogOptions.defaults())) {
      assertThat(log.lastZxid()).isEqualTo(Zxid.of(1, 7));
      log.append(CONFIG.zxid().equals(Zxid.of(1, 8)) ? CONFIG : new Txn(Zxid.of(1, 8), Txn.Kind.CONFIG,
          CONFIG.data()));
      log.sync();
    }
    assertThat(segmentFiles(dir)).hasSize(1);
    try (TxnLog log = TxnLog.open(dir, TxnLogOptions.defaults())) {
      assertThat(readAll(log, Zxid.of(1, 7))).singleElement().satisfies(t -> assertThat(t.isConfig()).isTrue());
    }
  }

  @Test
  void truncatingIntoAVersion1SegmentStillNeverAppendsToIt() throws IOException {
    writeSegment(dir, SegmentFormat.VERSION_1, Zxid.ZERO, txn(1, 1), txn(1, 2), txn(1, 3));
    try (TxnLog log = TxnLog.open(dir, TxnLogOptions.defaults())) {
      log.append(CONFIG);
      log.sync();
      log.truncateAfter(Zxid.of(1, 2));
      log.append(new Txn(Zxid.of(2, 1), Txn.Kind.CONFIG, CONFIG.data()));
      log.sync();
    }
    try (TxnLog log = TxnLog.open(dir, TxnLogOptions.defaults())) {
      assertThat(readAll(log, Zxid.ZERO)).extracting(Txn::zxid, Txn::kind).containsExactly(
          org.assertj.core.groups.Tuple.tuple(Zxid.of(1, 1), Txn.Kind.APPLICATION),
          org.assertj.core.groups.Tuple.tuple(Zxid.of(1, 2), Txn.Kind.APPLICATION),
          org.assertj.core.groups.Tuple.tuple(Zxid.of(2, 1), Txn.Kind.CONFIG));
    }
  }

  @Test
  void aSegmentOfAnUnknownVersionIsRefusedNamingIt() throws IOException {
    Path file = writeSegment(dir, Zxid.ZERO, txn(1, 1));
    ByteBuffer h = SegmentFormat.header(Zxid.ZERO, 5);
    byte[] bytes = Files.readAllBytes(file);
    h.get(bytes, 0, SegmentFormat.HEADER_BYTES);
    Files.write(file, bytes);
    assertThatThrownBy(() -> TxnLog.open(dir, TxnLogOptions.defaults())).isInstanceOf(CorruptLogException.class)
        .hasMessageContaining(file.toString()).hasMessageContaining("unsupported segment format version 5");
  }

  @Test
  void aChecksummedRecordOfAnUnknownKindIsRefusedNotSkipped() throws IOException {
    Path file = writeSegment(dir, Zxid.ZERO, txn(1, 1), txn(1, 2));
    byte[] bytes = Files.readAllBytes(file);
    int second = SegmentFormat.HEADER_BYTES + LogFiles.record(txn(1, 1)).length;
    bytes[second + 16] = 5; // kind 5, with a checksum to match: written so, not damaged
    byte[] payload = txn(1, 2).data();
    ByteBuffer.wrap(bytes).putInt(second + 4, SegmentFormat.recordCrc(new CRC32C(), SegmentFormat.VERSION,
        Zxid.of(1, 2).value(), 5, payload, 0, payload.length));
    Files.write(file, bytes);
    assertThatThrownBy(() -> TxnLog.open(dir, TxnLogOptions.defaults())).isInstanceOf(CorruptLogException.class)
        .hasMessageContaining("unknown txn kind 5");
  }

  @Test
  void aSnapshotWrittenBeforeMembershipsWereRecordedReadsAsUnknownMembership() throws IOException {
    SnapshotStore store = SnapshotStore.open(dir);
    byte[] state = {1, 2, 3, 4};
    // the previous format: the state machine's bytes, then the trailer with magic "ZABS"
    CRC32C crc = new CRC32C();
    crc.update(state);
    ByteBuffer file = ByteBuffer.allocate(state.length + SnapshotFormat.TRAILER_BYTES).put(state)
        .putInt(SnapshotFormat.MAGIC_V1).putLong(state.length).putInt((int) crc.getValue());
    Files.write(SnapshotFormat.fileFor(dir, Zxid.of(1, 9)), file.array());
    assertThat(store.latest()).contains(Zxid.of(1, 9));
    try (InputStream in = store.open(Zxid.of(1, 9))) {
      assertThat(SnapshotHeader.read(in)).isNull();
      assertThat(in.readAllBytes()).containsExactly(state);
    }
  }

  @Test
  void aSnapshotRecordsItsMembershipAndAnUnknownTrailerIsDamage() throws IOException {
    SnapshotStore store = SnapshotStore.open(dir);
    Membership m = Membership.stable(ClusterConfiguration.of(List.of(Member.local(1))));
    try (SnapshotWriter w = store.begin(Zxid.of(2, 1))) {
      w.output().write(SnapshotHeader.encode(m));
      w.output().write(new byte[] {7});
      w.commit();
    }
    try (InputStream in = store.open(Zxid.of(2, 1))) {
      assertThat(SnapshotHeader.read(in)).isEqualTo(m);
      assertThat(in.readAllBytes()).containsExactly(7);
    }
    Path file = SnapshotFormat.fileFor(dir, Zxid.of(2, 1));
    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer.wrap(bytes).putInt(bytes.length - SnapshotFormat.TRAILER_BYTES, 0x5A414233); // "ZAB3"
    Files.write(file, bytes);
    assertThatThrownBy(() -> store.open(Zxid.of(2, 1))).isInstanceOf(CorruptSnapshotException.class)
        .hasMessageContaining("bad trailer magic");
  }
}
