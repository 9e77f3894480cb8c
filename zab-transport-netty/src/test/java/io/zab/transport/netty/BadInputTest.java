package io.zab.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.wire.CodecException;
import io.zab.wire.MessageCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every kind of bad input closes that one connection with a reason naming what was wrong, and the
 * transport keeps serving: after each case servers 1 and 2 still exchange messages. Member 3 exists in the
 * configuration but does not run, so a raw socket can pose as it.
 */
class BadInputTest {
  private static final int VERSION = MessageCodec.VERSION;
  private static final String CLUSTER = "test-cluster";
  private static final Duration HANDSHAKE_TIMEOUT = Duration.ofMillis(700);
  private static final Duration WAIT = TestCluster.WAIT;

  private TestCluster cluster;

  @BeforeEach
  void startServers1And2() throws Exception {
    cluster = new TestCluster(3, id -> TestCluster.fastConfig().handshakeTimeout(HANDSHAKE_TIMEOUT)
        .maxFrameBytes(64 * 1024).build()).start(1, 2);
    cluster.awaitConnected(1, 2);
  }

  @AfterEach
  void stillServingAndNoBugs() throws Exception {
    try {
      Exchange.both(cluster, 1, 2);
      assertThat(cluster.transport(1).stats().unexpectedErrors()).isZero();
    } finally {
      cluster.close();
    }
  }

  private RejectionLog.Rejection rejectedAfter(RawPeer raw) throws Exception {
    RejectionLog.Rejection r = cluster.rejections(1).awaitFrom(raw.localAddress(), WAIT);
    assertThat(raw.awaitClosed(WAIT)).as("server closed the connection").isTrue();
    return r;
  }

  /** Completes a valid handshake as server 3 and reads server 1's answer. */
  private RawPeer handshakeAs3() throws Exception {
    RawPeer raw = RawPeer.connect(cluster.address(1));
    raw.send(RawPeer.hello(Hello.MAGIC, VERSION, 3, CLUSTER));
    byte[] answer = raw.readFrame(WAIT);
    assertThat(Hello.read(io.netty.buffer.Unpooled.wrappedBuffer(answer)).serverId()).isEqualTo(1);
    cluster.inbound(1).awaitConnected(3, WAIT);
    return raw;
  }

  @Test
  void garbageBytesWithAHugeLengthAreRefusedOnThePrefix() throws Exception {
    byte[] garbage = new byte[256];
    new Random(1).nextBytes(garbage);
    garbage[0] = 0x7f;
    try (RawPeer raw = RawPeer.connect(cluster.address(1))) {
      raw.send(garbage);
      assertThat(rejectedAfter(raw).message()).contains("handshake frame length 2").contains("is outside");
    }
  }

  @Test
  void garbageBytesWithAPlausibleLengthFailTheMagicCheck() throws Exception {
    byte[] garbage = new byte[64];
    new Random(2).nextBytes(garbage);
    garbage[0] = 0;
    garbage[1] = 0;
    garbage[2] = 0;
    garbage[3] = 40;
    try (RawPeer raw = RawPeer.connect(cluster.address(1))) {
      raw.send(garbage);
      assertThat(rejectedAfter(raw).message()).contains("wrong magic");
    }
  }

  @Test
  void anOversizedLengthPrefixAfterTheHandshakeIsRefusedBeforeReadingTheBody() throws Exception {
    try (RawPeer raw = handshakeAs3()) {
      raw.send(new byte[] {0x00, 0x10, 0x00, 0x00}); // 1 MiB > maxFrameBytes 64 KiB, and no body follows
      RejectionLog.Rejection r = rejectedAfter(raw);
      assertThat(r.reason()).isInstanceOf(CodecException.class);
      assertThat(r.message()).contains("1048576");
      cluster.inbound(1).awaitDisconnected(3, WAIT);
    }
  }

  @Test
  void aTruncatedFrameIsReportedWhenThePeerCloses() throws Exception {
    try (RawPeer raw = handshakeAs3()) {
      raw.send(new byte[] {0, 0, 0, 100, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
      raw.shutdownOutput();
      assertThat(rejectedAfter(raw).message()).contains("truncated frame").contains("after 14 bytes")
          .contains("length prefix 100");
      cluster.inbound(1).awaitDisconnected(3, WAIT);
    }
  }

  @Test
  void aFrameTheCodecCannotDecodeClosesTheConnection() throws Exception {
    try (RawPeer raw = handshakeAs3()) {
      raw.send(new byte[] {0, 0, 0, 3, (byte) VERSION, (byte) 0xEE, 0});
      assertThat(rejectedAfter(raw).reason()).isInstanceOf(CodecException.class);
    }
  }

  @Test
  void wrongMagicIsRefused() throws Exception {
    try (RawPeer raw = RawPeer.connect(cluster.address(1))) {
      raw.send(RawPeer.hello(0x48545450, VERSION, 3, CLUSTER));
      assertThat(rejectedAfter(raw).message()).contains("wrong magic 0x48545450");
    }
  }

  @Test
  void wrongProtocolVersionIsRefused() throws Exception {
    try (RawPeer raw = RawPeer.connect(cluster.address(1))) {
      raw.send(RawPeer.hello(Hello.MAGIC, VERSION + 1, 3, CLUSTER));
      assertThat(rejectedAfter(raw).message()).contains("protocol version " + (VERSION + 1));
    }
  }

  @Test
  void wrongClusterIdIsRefused() throws Exception {
    try (RawPeer raw = RawPeer.connect(cluster.address(1))) {
      raw.send(RawPeer.hello(Hello.MAGIC, VERSION, 3, "other-cluster"));
      assertThat(rejectedAfter(raw).message()).contains("cluster id 'other-cluster'");
    }
  }

  @Test
  void anUnknownServerIdIsRefused() throws Exception {
    try (RawPeer raw = RawPeer.connect(cluster.address(1))) {
      raw.send(RawPeer.hello(Hello.MAGIC, VERSION, 99, CLUSTER));
      assertThat(rejectedAfter(raw).message()).contains("unknown server id 99");
    }
  }

  @Test
  void aPeerClaimingTheServersOwnIdIsRefused() throws Exception {
    try (RawPeer raw = RawPeer.connect(cluster.address(1))) {
      raw.send(RawPeer.hello(Hello.MAGIC, VERSION, 1, CLUSTER));
      assertThat(rejectedAfter(raw).message()).contains("own id 1");
    }
  }

  @Test
  void aHandshakeLengthThatDisagreesWithTheClusterIdLengthIsRefused() throws Exception {
    byte[] hello = RawPeer.hello(Hello.MAGIC, VERSION, 3, CLUSTER);
    hello[4 + 13] = 50; // cluster id length byte claims more bytes than the frame holds
    try (RawPeer raw = RawPeer.connect(cluster.address(1))) {
      raw.send(hello);
      assertThat(rejectedAfter(raw).message()).contains("cluster id length 50");
    }
  }

  @Test
  void aPeerThatNeverFinishesTheHandshakeIsClosedByTheTimeout() throws Exception {
    byte[] hello = RawPeer.hello(Hello.MAGIC, VERSION, 3, CLUSTER);
    try (RawPeer raw = RawPeer.connect(cluster.address(1))) {
      raw.send(java.util.Arrays.copyOf(hello, 9)); // half a handshake, then silence
      long start = System.nanoTime();
      assertThat(rejectedAfter(raw).message()).contains("handshake not completed within 700 ms");
      assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(500);
    }
    assertThat(cluster.inbound(1).isConnected(3)).isFalse();
  }

  @Test
  void aThousandHalfOpenConnectionsDoNotStopServiceAndAllTimeOut() throws Exception {
    List<RawPeer> idle = new ArrayList<>();
    try {
      for (int i = 0; i < 1000; i++) {
        idle.add(RawPeer.connect(cluster.address(1)));
      }
      Exchange.both(cluster, 1, 2); // served while 1000 strangers sit on the port
      for (RawPeer raw : idle) {
        assertThat(raw.awaitClosed(WAIT)).isTrue();
      }
      int timedOut = 0;
      for (RejectionLog.Rejection r : cluster.rejections(1).all()) {
        if (r.message().contains("handshake not completed")) {
          timedOut++;
        }
      }
      assertThat(timedOut).isEqualTo(1000);
    } finally {
      for (RawPeer raw : idle) {
        raw.close();
      }
    }
  }

  /**
   * The duplicate rule: a second authenticated connection claiming a connected id replaces the first when
   * it comes from the same initiator or a larger one (the first is reported disconnected before the second
   * connected); the real server then redials and takes its place back the same way.
   */
  @Test
  void aDuplicateServerIdReplacesTheOldConnectionAndTheRealServerTakesItBack() throws Exception {
    RecordingInbound inbound1 = cluster.inbound(1);
    int mark = inbound1.size();
    try (RawPeer impostor = RawPeer.connect(cluster.address(1))) {
      impostor.send(RawPeer.hello(Hello.MAGIC, VERSION, 2, CLUSTER));
      impostor.readFrame(WAIT);
      // the impostor is closed once server 2 (which lost its connection) redials and replaces it
      assertThat(impostor.awaitClosed(WAIT)).isTrue();
    }
    int firstDown = inbound1.await(mark, new RecordingInbound.Disconnected(2)::equals, WAIT);
    int impostorUp = inbound1.await(firstDown, new RecordingInbound.Connected(2)::equals, WAIT);
    int impostorDown = inbound1.await(impostorUp, new RecordingInbound.Disconnected(2)::equals, WAIT);
    inbound1.await(impostorDown, new RecordingInbound.Connected(2)::equals, WAIT);
    cluster.awaitConnected(1, 2);
  }
}
