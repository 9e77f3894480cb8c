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

    /** The current epoch, or -1 if unknown. */
    default long epoch() {
      return -1;
    }

    /** Role changes reported since the start, or -1 if not counted. */
    default long roleChanges() {
      return -1;
    }

    /** The last applied zxid, or -1 if unknown. */
    default long appliedZxid() {
      return -1;
    }

    /** The mean log fsync in microseconds since the last call, or -1. */
    default long meanFsyncMicros() {
      return -1;
    }

    /** Makes each fsync of the log take {@code factor} times as long (1: normal); false if unsupported. */
    default boolean slowDown(int factor) {
      return false;
    }

    /** Runs the load {@code spec} inside this JVM; completes with its result line. */
    default CompletableFuture<String> load(String spec) {
      return CompletableFuture.failedFuture(new UnsupportedOperationException("no in-process load"));
    }

    /** This server's memory breakdown as key=value pairs, or an empty string. */
    default String memory() {
      return "";
    }
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
        if (request.type() == SubmitProtocol.LOAD) {
          backend.load(new String(request.payload(), java.nio.charset.StandardCharsets.UTF_8))
              .whenComplete((line, error) -> responses.add(
                  SubmitProtocol.Response.text(id, error == null ? line : "FAILED " + error)));
          continue;
        }
        if (request.type() != SubmitProtocol.SUBMIT) {
          responses.add(query(id, request));
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

  private SubmitProtocol.Response query(long id, SubmitProtocol.Request request) {
    return switch (request.type()) {
      case SubmitProtocol.ROLE -> new SubmitProtocol.Response(id, backend.roleCode(), backend.leaderId());
      case SubmitProtocol.EPOCH -> new SubmitProtocol.Response(id, SubmitProtocol.OK, backend.epoch());
      case SubmitProtocol.CHANGES -> new SubmitProtocol.Response(id, SubmitProtocol.OK, backend.roleChanges());
      case SubmitProtocol.APPLIED -> new SubmitProtocol.Response(id, SubmitProtocol.OK, backend.appliedZxid());
      case SubmitProtocol.FSYNC -> new SubmitProtocol.Response(id, SubmitProtocol.OK, backend.meanFsyncMicros());
      case SubmitProtocol.MEMORY -> SubmitProtocol.Response.text(id, backend.memory());
      default -> {
        int factor = request.payload().length == 4 ? java.nio.ByteBuffer.wrap(request.payload()).getInt() : -1;
        boolean done = factor >= 1 && backend.slowDown(factor);
        yield new SubmitProtocol.Response(id, done ? SubmitProtocol.OK : SubmitProtocol.FAILED, factor);
      }
    };
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
