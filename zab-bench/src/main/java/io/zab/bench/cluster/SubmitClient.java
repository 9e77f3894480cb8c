package io.zab.bench.cluster;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Client side of {@link SubmitProtocol}: one connection, pipelined requests. A writer thread sends queued
 * requests and flushes once per batch (as ZooKeeper's client does); a reader thread completes them.
 */
public final class SubmitClient implements AutoCloseable {

  private record Outgoing(byte type, long id, byte[] payload) {}

  /** Queued when the connection fails or closes, so the writer thread ends. */
  private static final Outgoing END = new Outgoing((byte) -1, -1, new byte[0]);

  private final Socket socket;
  private final Map<Long, CompletableFuture<SubmitProtocol.Response>> pending = new ConcurrentHashMap<>();
  private final LinkedBlockingQueue<Outgoing> outgoing = new LinkedBlockingQueue<>();
  private final AtomicLong nextId = new AtomicLong();

  public SubmitClient(String host, int port) throws IOException {
    socket = new Socket();
    socket.connect(new InetSocketAddress(host, port), 5000);
    socket.setTcpNoDelay(true);
    start(this::readLoop, "submit-client-reader");
    start(this::writeLoop, "submit-client-writer");
  }

  /** Parses {@code host:port}. */
  public static SubmitClient connect(String hostPort) throws IOException {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("address '" + hostPort + "' must be host:port");
    }
    return new SubmitClient(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
  }

  public CompletableFuture<SubmitProtocol.Response> submit(byte[] payload) {
    return send(SubmitProtocol.SUBMIT, payload);
  }

  public CompletableFuture<SubmitProtocol.Response> role() {
    return send(SubmitProtocol.ROLE, new byte[0]);
  }

  /** The server's epoch, role changes or last applied zxid ({@link SubmitProtocol} query types). */
  public CompletableFuture<SubmitProtocol.Response> query(byte type) {
    return send(type, new byte[0]);
  }

  /** Runs a load inside the server's JVM ({@link InProcessLoad} spec); completes with its result line as text. */
  public CompletableFuture<SubmitProtocol.Response> load(String spec) {
    return send(SubmitProtocol.LOAD, spec.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** The server's memory breakdown ({@link MemoryReport}) as text. */
  public CompletableFuture<SubmitProtocol.Response> memory() {
    return send(SubmitProtocol.MEMORY, new byte[0]);
  }

  /** Makes each fsync of the server's log take {@code factor} times as long. */
  public CompletableFuture<SubmitProtocol.Response> slowDown(int factor) {
    return send(SubmitProtocol.SLOWDOWN, java.nio.ByteBuffer.allocate(4).putInt(factor).array());
  }

  private CompletableFuture<SubmitProtocol.Response> send(byte type, byte[] payload) {
    long id = nextId.incrementAndGet();
    CompletableFuture<SubmitProtocol.Response> future = new CompletableFuture<>();
    pending.put(id, future);
    if (socket.isClosed()) {
      failAll(new IOException("connection to " + socket.getRemoteSocketAddress() + " is closed"));
    } else {
      outgoing.add(new Outgoing(type, id, payload));
    }
    return future;
  }

  private void writeLoop() {
    List<Outgoing> batch = new ArrayList<>();
    try (DataOutputStream out =
        new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 1 << 16))) {
      while (!socket.isClosed()) {
        batch.add(outgoing.take());
        outgoing.drainTo(batch);
        for (Outgoing o : batch) {
          if (o == END) {
            return;
          }
          SubmitProtocol.writeRequest(out, o.type(), o.id(), o.payload());
        }
        out.flush();
        batch.clear();
      }
    } catch (IOException | InterruptedException e) {
      failAll(e);
    }
  }

  private void readLoop() {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16))) {
      while (true) {
        SubmitProtocol.Response response = SubmitProtocol.readResponse(in);
        CompletableFuture<SubmitProtocol.Response> future = pending.remove(response.requestId());
        if (future != null) {
          future.complete(response);
        }
      }
    } catch (IOException e) {
      failAll(e);
    }
  }

  private void failAll(Exception cause) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already failing
    }
    outgoing.add(END);
    for (Long id : List.copyOf(pending.keySet())) {
      CompletableFuture<SubmitProtocol.Response> future = pending.remove(id);
      if (future != null) {
        future.completeExceptionally(cause);
      }
    }
  }

  private static void start(Runnable body, String name) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void close() {
    failAll(new IOException("client closed"));
  }
}
