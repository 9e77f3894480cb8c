package io.zab.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A hand-driven TCP client that speaks (or breaks) the transport protocol on purpose. */
final class RawPeer implements AutoCloseable {
  private final Socket socket;

  private RawPeer(Socket socket) {
    this.socket = socket;
  }

  static RawPeer connect(InetSocketAddress address) throws IOException {
    Socket s = new Socket();
    s.connect(address, 5_000);
    return new RawPeer(s);
  }

  InetSocketAddress localAddress() {
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  RawPeer send(byte[] bytes) throws IOException {
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
    return this;
  }

  /** A handshake frame with every field chosen by the caller. */
  static byte[] hello(int magic, int version, long serverId, String clusterId) {
    byte[] cluster = clusterId.getBytes(StandardCharsets.UTF_8);
    ByteBuf b = Unpooled.buffer();
    b.writeInt(Hello.FIXED_BYTES + cluster.length).writeInt(magic).writeByte(version).writeLong(serverId)
        .writeByte(cluster.length).writeBytes(cluster);
    byte[] out = new byte[b.readableBytes()];
    b.readBytes(out);
    return out;
  }

  /** Reads one frame body (skipping keepalives). */
  byte[] readFrame(Duration timeout) throws IOException {
    socket.setSoTimeout((int) timeout.toMillis());
    DataInputStream in = new DataInputStream(socket.getInputStream());
    while (true) {
      int length = in.readInt();
      if (length == 0) {
        continue;
      }
      byte[] body = new byte[length];
      in.readFully(body);
      return body;
    }
  }

  /** True once the server has closed the connection (EOF or reset), false if still open after timeout. */
  boolean awaitClosed(Duration timeout) throws IOException {
    socket.setSoTimeout((int) timeout.toMillis());
    InputStream in = socket.getInputStream();
    byte[] buf = new byte[4096];
    try {
      while (in.read(buf) >= 0) {
        // discard whatever the server still sends (its hello, keepalives)
      }
      return true;
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } catch (SocketException reset) {
      return true;
    }
  }

  void shutdownOutput() throws IOException {
    socket.shutdownOutput();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
