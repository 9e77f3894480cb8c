package io.zab.transport.netty;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The handshake frame each side sends first: who it is and what it speaks. Body layout (big-endian):
 * {@code magic:u32 | version:u8 | serverId:i64 | clusterIdLength:u8 | clusterId:UTF-8}.
 *
 * @param version the wire protocol version ({@link io.zab.wire.MessageCodec#VERSION})
 * @param serverId the server id the sender claims (checked against its certificate under TLS)
 * @param clusterId the ensemble name
 */
record Hello(int version, long serverId, String clusterId) {
  /** "ZAB!": tells a zab peer from anything else that dialed the port. */
  static final int MAGIC = 0x5A414221;
  static final int FIXED_BYTES = 4 + 1 + 8 + 1;
  /** Frames before the handshake are capped far below maxFrameBytes, so strangers cannot make us buffer much. */
  static final int MAX_BODY_BYTES = FIXED_BYTES + 255;

  Hello {
    Objects.requireNonNull(clusterId, "clusterId");
  }

  /** Writes the whole frame: length prefix, then body. */
  void writeFrame(ByteBuf out) {
    byte[] cluster = clusterId.getBytes(StandardCharsets.UTF_8);
    out.writeInt(FIXED_BYTES + cluster.length);
    out.writeInt(MAGIC);
    out.writeByte(version);
    out.writeLong(serverId);
    out.writeByte(cluster.length);
    out.writeBytes(cluster);
  }

  /** Reads a handshake body (the frame without its length prefix). */
  static Hello read(ByteBuf body) {
    int length = body.readableBytes();
    if (length < FIXED_BYTES) {
      throw new PeerProtocolException("handshake: body of " + length + " bytes is shorter than the "
          + FIXED_BYTES + " fixed bytes");
    }
    int magic = body.readInt();
    if (magic != MAGIC) {
      throw new PeerProtocolException(String.format("handshake: wrong magic 0x%08x at offset 0, expected 0x%08x",
          magic, MAGIC));
    }
    int version = body.readUnsignedByte();
    long serverId = body.readLong();
    int clusterLength = body.readUnsignedByte();
    if (body.readableBytes() != clusterLength) {
      throw new PeerProtocolException("handshake: cluster id length " + clusterLength + " at offset 13 but "
          + body.readableBytes() + " bytes follow");
    }
    String cluster = body.readCharSequence(clusterLength, StandardCharsets.UTF_8).toString();
    return new Hello(version, serverId, cluster);
  }
}
