package io.zab.bench.zk;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Sends a ZooKeeper four-letter word (e.g. {@code srvr}) to a client port and returns the answer. */
final class FourLetterWord {

  private FourLetterWord() {}

  static String send(String host, int port, String word) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 2000);
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write(word.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The {@code Mode:} line of a {@code srvr} answer ("leader", "follower", ...), or null. */
  static String mode(String srvrAnswer) {
    for (String line : srvrAnswer.split("\n")) {
      if (line.startsWith("Mode:")) {
        return line.substring("Mode:".length()).trim();
      }
    }
    return null;
  }
}
