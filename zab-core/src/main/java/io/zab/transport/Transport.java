package io.zab.transport;

import io.zab.Member;
import io.zab.metrics.NodeMetrics;
import io.zab.wire.Message;
import java.util.List;
import io.zab.wire.MessageCodec;

/**
 * The transport SPI: FIFO, authenticated message channels between the servers of one ensemble.
 *
 * <p>Semantics the protocol relies on (TCP-like): messages to one peer arrive in the order sent, exactly
 * once, or not at all after a connection loss, which is reported to the {@link Inbound} as
 * {@link Inbound#disconnected(long)}. The transport keeps trying to (re)connect to every member and reports
 * {@link Inbound#connected(long)} when a connection is usable.
 *
 * <p>A transport of your own frames each message with {@link io.zab.wire.MessageCodec} and reports what happens
 * to the node's {@link Inbound}:
 *
 * <pre>{@code
 * public boolean send(long to, Message message) {
 *   Connection c = connections.get(to);
 *   return c != null && c.write(codec.encodeFrame(message));    // false: no connection, the message is dropped
 * }
 * // on a reading thread, for each frame body from an authenticated peer:
 * inbound.received(peerId, codec.decode(ByteBuffer.wrap(body)));
 * }</pre>
 *
 * <p>Thread-safety: {@link #send} and {@link #flush} are called by one thread at a time, each call after the previous
 * one (under the node's protocol lock: its protocol thread, or its log writer or a transport thread running a batch
 * for it). So they may be called from inside {@link Inbound#received}, on the transport's own thread: they must
 * never wait there (for room, a connection, another thread of the transport), and the messages to one peer must
 * leave in the order of the calls whichever thread made them (a write made on the transport's own thread must not
 * overtake one queued there a moment earlier by another). {@link Inbound} callbacks may come from any transport
 * thread.
 */
public interface Transport extends AutoCloseable {

  /**
   * Starts listening and connecting; from now on, events go to {@code inbound}.
   *
   * @param inbound where messages and connection events go
   */
  void start(Inbound inbound);

  /**
   * Queues {@code message} for peer {@code to}. Never blocks for long. Returns false, dropping the message,
   * if there is no connection to {@code to} (the loss has been or will be reported as a disconnect).
   *
   * @param to the peer's server id
   * @param message the message, immutable
   * @return false if dropped for lack of a connection
   */
  boolean send(long to, Message message);

  /** Pushes queued messages to the network; called once after a batch of sends (write coalescing). */
  void flush();

  /**
   * The members this server must reach changed (a configuration change, issue 11): from now on the transport
   * connects to, and accepts connections from, exactly the servers in {@code members} (this server's own entry, if
   * listed, is ignored: it keeps listening where it was created). New members are dialed at their address; the
   * connection to a server no longer listed is closed (reported as a disconnect) and its connections are refused as
   * from an unknown server; a member whose address changed is dialed at the new address from its next connection on.
   * Called from the protocol thread, possibly before {@link #start}.
   *
   * @param members the servers to reach, each at its address: every member of the membership in force (both
   *     configurations while the voter set changes), on a leader the servers it is adding or still streaming to, and,
   *     on a server whose log missed a change, the members of the newer membership it learned of from election
   *     notifications (docs/protocol.md, stranded members)
   */
  void updateMembers(List<Member> members);

  /**
   * Whether {@code to} can take more messages without growing its queue past the transport's bound.
   * The leader stops sending new proposals to a peer that is not writable (backpressure).
   *
   * @param to the peer's server id
   * @return true while the peer's queue is below the bound
   */
  default boolean isWritable(long to) {
    return true;
  }

  /**
   * The largest message body this transport carries (larger ones it refuses). The core cuts every message it emits
   * to fit: proposal batches, sync streams and snapshot chunks.
   *
   * @return the largest body in bytes
   */
  default int maxFrameBytes() {
    return MessageCodec.DEFAULT_MAX_FRAME_BYTES;
  }

  /**
   * Registers this transport's own meters (bytes, reconnects, rejected connections; names in
   * {@link io.zab.metrics.MetricNames}) with the node's metrics; called once, before {@link #start}. They stay
   * registered until the node closes {@code metrics}. Default: none.
   *
   * @param metrics the node's meters
   */
  default void bindMetrics(NodeMetrics metrics) {}

  /** Closes every connection and stops every transport thread. Idempotent. */
  @Override
  void close();

  /**
   * Where a transport delivers what happens. Implementations must be thread-safe and must never block the
   * calling transport thread; they ask for backpressure instead ({@link #hasRoom}).
   */
  interface Inbound {
    /**
     * A message from a peer, in the order it sent them.
     *
     * @param from the authenticated peer's id
     * @param message the message
     */
    void received(long from, Message message);

    /**
     * A connection to {@code peer} is usable.
     *
     * @param peer the peer's id
     */
    void connected(long peer);

    /**
     * The connection to {@code peer} was lost; messages in flight on it may be lost.
     *
     * @param peer the peer's id
     */
    void disconnected(long peer);

    /**
     * Whether the receiver takes more messages now. When false after a {@link #received}, a transport stops
     * reading (for Netty: auto-read off on that connection, so TCP pushes back on the sender) and resumes from
     * the callback it registers with {@link #whenRoom}. Messages already read are still delivered: nothing is
     * dropped. Default: always.
     *
     * @return true while the receiver takes more
     */
    default boolean hasRoom() {
      return true;
    }

    /**
     * Runs {@code resume} once {@link #hasRoom()} holds again: at once if it holds now. Any thread.
     *
     * @param resume what to run then
     */
    default void whenRoom(Runnable resume) {
      resume.run();
    }
  }
}
