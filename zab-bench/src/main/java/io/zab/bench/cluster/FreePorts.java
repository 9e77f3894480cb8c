package io.zab.bench.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Picks currently unused loopback ports for the servers of one benchmark run. */
public final class FreePorts {

  private FreePorts() {}

  public static int[] pick(int count) throws IOException {
    ServerSocket[] sockets = new ServerSocket[count];
    int[] ports = new int[count];
    try {
      // all held open at once so the same port is never handed out twice
      for (int i = 0; i < count; i++) {
        sockets[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        ports[i] = sockets[i].getLocalPort();
      }
    } finally {
      for (ServerSocket socket : sockets) {
        if (socket != null) {
          socket.close();
        }
      }
    }
    return ports;
  }
}
