package io.zab.bench.cluster;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Serves {@link SubmitProtocol} on a loopback port: each connection has a reader thread that hands
 * requests to the {@link Backend} without waiting (pipelining), and a writer thread that sends the
 * responses, flushing once per batch of completed requests.
 */
public final class SubmitServer implements AutoCloseable {

  /** What the server exposes: asynchronous submit, and the node's current role. */
  public interface Backend {
    /** Completes with the committed zxid's value. */
    CompletableFuture<Long> submit(byte[] payload);

    /** Role code as in {@link SubmitProtocol} (0 LOOKING, 1 FOLLOWING, 2 LEADING). */
    byte roleCode();

    /** The leader's server id, or -1 if none is known. */
    long leaderId();
  }

  /** Queued after the reader ends, so the connection's writer thread ends too. */
  private static final SubmitProtocol.Response END = new SubmitProtocol.Response(-1, (byte) -1, -1);

  private final ServerSocket serverSocket;
  private final Backend backend;
  private final List<Socket> connections = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  public SubmitServer(int port, Backend backend) throws IOException {
    this.serverSocket = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
    this.backend = backend;
    this.acceptor = daemon(this::acceptLoop, "submit-acceptor");
    acceptor.start();
  }

  public int port() {
    return serverSocket.getLocalPort();
  }

  private void acceptLoop() {
    while (!serverSocket.isClosed()) {
      try {
        Socket socket = serverSocket.accept();
        socket.setTcpNoDelay(true);
        connections.add(socket);
        LinkedBlockingQueue<SubmitProtocol.Response> responses = new LinkedBlockingQueue<>();
        daemon(() -> readLoop(socket, responses), "submit-reader").start();
        daemon(() -> writeLoop(socket, responses), "submit-writer").start();
      } catch (IOException e) {
        if (!serverSocket.isClosed()) {
          System.err.println("submit server: accept failed: " + e);
        }
      }
    }
  }

  private void readLoop(Socket socket, LinkedBlockingQueue<SubmitProtocol.Response> responses) {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16))) {
      while (true) {
        SubmitProtocol.Request request = SubmitProtocol.readRequest(in);
        long id = request.requestId();
        if (request.type() == SubmitProtocol.ROLE) {
          responses.add(new SubmitProtocol.Response(id, backend.roleCode(), backend.leaderId()));
          continue;
        }
        backend.submit(request.payload()).whenComplete((zxid, error) -> responses.add(error == null
            ? new SubmitProtocol.Response(id, SubmitProtocol.OK, zxid)
            : new SubmitProtocol.Response(id, SubmitProtocol.FAILED, -1)));
      }
    } catch (IOException endOfConnection) {
      closeQuietly(socket);
      responses.add(END);
    }
  }

  private void writeLoop(Socket socket, LinkedBlockingQueue<SubmitProtocol.Response> responses) {
    List<SubmitProtocol.Response> batch = new ArrayList<>();
    try (DataOutputStream out =
        new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 1 << 16))) {
      while (!socket.isClosed()) {
        batch.add(responses.take());
        responses.drainTo(batch);
        for (SubmitProtocol.Response response : batch) {
          if (response == END) {
            return;
          }
          SubmitProtocol.writeResponse(out, response);
        }
        out.flush();
        batch.clear();
      }
    } catch (IOException | InterruptedException endOfConnection) {
      closeQuietly(socket);
    }
  }

  private static Thread daemon(Runnable body, String name) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    return thread;
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  @Override
  public void close() throws IOException {
    serverSocket.close();
    for (Socket socket : connections) {
      closeQuietly(socket);
    }
  }
}
