package io.zab.bench.cluster;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * The far end of the loopback round-trip floor, in its own JVM (as a follower is another process): reads records
 * of {@code --payload} bytes and answers each with 8 bytes, as a follower answers a proposal with an ack. Serves one
 * connection at a time until its parent goes away.
 *
 * <p>Usage: {@code LoopbackEcho --port 40000 --payload 1024}
 */
public final class LoopbackEcho {
  static final int REPLY_BYTES = 8;

  private LoopbackEcho() {}

  public static void main(String[] argv) throws IOException {
    ExitWithParent.watchStdin();
    Args args = Args.parse(argv, "port", "payload");
    int payload = (int) args.getLong("payload", 1024);
    try (ServerSocket server = new ServerSocket((int) Long.parseLong(args.require("port")), 1,
        InetAddress.getLoopbackAddress())) {
      while (true) {
        try (Socket socket = server.accept()) {
          serve(socket, payload);
        } catch (IOException closed) {
          // the prober closed its connection; wait for the next
        }
      }
    }
  }

  static void serve(Socket socket, int payload) throws IOException {
    socket.setTcpNoDelay(true);
    byte[] record = new byte[payload];
    DataInputStream in = new DataInputStream(socket.getInputStream());
    OutputStream out = socket.getOutputStream();
    while (true) {
      in.readFully(record);
      out.write(record, 0, REPLY_BYTES);
    }
  }
}
