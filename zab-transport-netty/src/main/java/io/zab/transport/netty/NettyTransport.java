package io.zab.transport.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.zab.Member;
import io.zab.metrics.NodeMetrics;
import io.zab.runtime.LogThrottle;
import io.zab.transport.Transport;
import io.zab.transport.TransportFactory;
import io.zab.wire.CodecException;
import io.zab.wire.Message;
import io.zab.wire.MessageCodec;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network transport: one TCP connection per pair of servers, authenticated by a handshake (and mutual
 * TLS 1.3 when configured), length-prefixed frames of the zab codec, reconnect with backoff.
 *
 * <pre>{@code
 * ZabNode node = ZabNode.builder().serverId(1).members(members).dataDir(dir)
 *     .transport(NettyTransport.factory(NettyConfig.builder("orders").tls(tls).build()))
 *     .stateMachine(sm).build();
 * }</pre>
 *
 * <p>Threads: {@link #send}, {@link #flush} and {@link #isWritable} are called one thread at a time (the SPI
 * contract): the node's protocol thread, or an event loop running a received message's batch from inside the
 * inbound callback. None of them waits: a write or flush is queued to the connection's event loop as a task (also
 * from that loop itself, so that each connection stays FIFO whichever thread writes), one past the pending bound
 * closes the connection. Inbound callbacks come from the event loops. {@link #close} may be called from any thread,
 * any number of times.
 */
public final class NettyTransport implements Transport {
  private static final Logger log = LoggerFactory.getLogger(NettyTransport.class);

  private final NettyConfig config;
  private final Member self;
  /** The members but this server; changed by {@link #updateMembers} (under {@link #membersLock}). */
  private final Map<Long, Member> peers;
  private final Object membersLock = new Object();
  private final MessageCodec codec;
  private final TransportStats stats = new TransportStats();
  private final PeerLinks links;
  private final Set<Channel> channels = ConcurrentHashMap.newKeySet();
  private final Map<Long, Dialer> dialers = new ConcurrentHashMap<>();
  private final Set<Channel> unflushed = new LinkedHashSet<>();
  /**
   * The last message encoded and its frame, kept until the next flush: the core sends the same proposal instance
   * to every member at the same place in the stream, and it is encoded once for all of them (send/flush callers only: one at a time).
   */
  private Message lastEncoded;
  private ByteBuf lastFrame;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final IoKind io;
  /** The send path's error lines, per peer: a batch of sends to a broken connection logs once. */
  private final LogThrottles sendLog = new LogThrottles(LogThrottle.ONE_SECOND, System::nanoTime);
  private volatile Rejections observer = (channel, reason) -> {};
  private EventLoopGroup group;
  private Channel server;
  // Set by start(), used to dial members added later.
  private volatile HandshakeRules rules;
  private volatile ChannelSetup setup;
  /** Whether start() has set up the event loops and the dialers: until then a new member is only recorded. */
  private boolean dialing; // under membersLock
  private volatile WriteBufferWaterMark marks;

  private NettyTransport(NettyConfig config, long self, List<Member> members) {
    this.config = config;
    Map<Long, Member> byId = new LinkedHashMap<>();
    for (Member m : members) {
      if (byId.put(m.id(), m) != null) {
        throw new IllegalArgumentException("server id " + m.id() + " appears twice in " + members);
      }
    }
    this.self = byId.remove(self);
    if (this.self == null) {
      throw new IllegalArgumentException("server " + self + " is not among the members " + members);
    }
    this.peers = new ConcurrentHashMap<>(byId);
    this.codec = new MessageCodec(config.maxFrameBytes());
    this.links = new PeerLinks(self, peers.keySet(), stats, this::lost, id -> {
      Dialer d = dialers.get(id);
      return d != null && d.inFlight();
    }, config.idleTimeout().dividedBy(2), System::nanoTime);
    this.io = IoKind.choose(config.nativeIo());
  }

  /**
   * A factory for {@code ZabNode.builder().transport(...)}.
   *
   * @param config the transport's settings, shared by the servers of this process
   * @return the factory
   */
  public static TransportFactory factory(NettyConfig config) {
    return (self, members) -> new NettyTransport(config, self, members);
  }

  /** "epoll" or "nio". */
  String ioName() {
    return io.name();
  }

  /**
   * Counters of this transport.
   *
   * @return this transport's counters
   */
  public TransportStats stats() {
    return stats;
  }

  /**
   * The address this transport listens on (after {@link #start}); useful when the port was 0.
   *
   * @return the bound address, or null before start
   */
  public InetSocketAddress localAddress() {
    return server == null ? null : (InetSocketAddress) server.localAddress();
  }

  @Override
  public void start(Inbound inbound) {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("transport of server " + self.id() + " already started");
    }
    if (!config.tlsEnabled()) {
      log.warn("*** PLAINTEXT zab transport for server {}: peers are NOT authenticated and traffic is NOT "
          + "encrypted; any host that reaches port {} can claim to be a member. Use TLS outside development. ***",
          self.id(), self.port());
    }
    links.start(inbound);
    TlsContexts tls = config.tlsEnabled() ? TlsContexts.load(config.tls()) : null;
    Hello hello = new Hello(MessageCodec.VERSION, self.id(), config.clusterId());
    synchronized (membersLock) {
      rules = new HandshakeRules(hello, memberIds(), tls != null);
    }
    setup = new ChannelSetup(codec, rules, links, tls, config.handshakeTimeout(), config.idleTimeout(), rejections(),
        stats);
    group = new MultiThreadIoEventLoopGroup(config.ioThreads(), new ZabThreadFactory(self.id()), io.handlers());
    marks = new WriteBufferWaterMark(config.writeBufferLow(), config.writeBufferHigh());
    ServerBootstrap serverBootstrap = new ServerBootstrap().group(group).channel(io.serverChannel())
        .option(ChannelOption.SO_BACKLOG, 1024)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.SO_KEEPALIVE, true)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, marks)
        .childHandler(initializer(setup, null));
    String bindHost = config.bindHost() != null ? config.bindHost() : self.host();
    ChannelFuture bound = serverBootstrap.bind(bindHost, self.port()).awaitUninterruptibly();
    if (!bound.isSuccess()) {
      close();
      throw new IllegalStateException("server " + self.id() + " cannot listen on " + bindHost + ":" + self.port()
          + ": " + bound.cause(), bound.cause());
    }
    server = bound.channel();
    log.info("zab transport of server {} listening on {} ({}, {}, cluster '{}', {} peers)", self.id(),
        server.localAddress(), tls != null ? "mutual TLS 1.3" : "PLAINTEXT", io.name(), config.clusterId(),
        peers.size());
    synchronized (membersLock) {
      for (Member peer : peers.values()) {
        dialers.put(peer.id(), dialer(peer));
      }
      dialers.values().forEach(Dialer::dialNow);
      dialing = true;
    }
  }

  private Dialer dialer(Member peer) {
    Bootstrap bootstrap = new Bootstrap().group(group).channel(io.channel())
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.SO_KEEPALIVE, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.connectTimeout().toMillis())
        .option(ChannelOption.WRITE_BUFFER_WATER_MARK, marks)
        .handler(initializer(setup, peer));
    // one generator per dialer: Dialer's methods are synchronized, SplittableRandom is not thread-safe
    Backoff backoff = new Backoff(config.reconnectMin(), config.reconnectMax(), new SplittableRandom());
    return new Dialer(self.id(), peer, bootstrap, backoff, id -> links.active(id) != null, stats);
  }

  /** Every member's id, this server's included. Under membersLock. */
  private Set<Long> memberIds() {
    Set<Long> members = new HashSet<>(peers.keySet());
    members.add(self.id());
    return members;
  }

  /**
   * A configuration change (issue 11): members no longer listed lose their connection and dialer, and their
   * handshakes are refused from now on; new members are dialed; a member at a new address is dialed there.
   */
  @Override
  public void updateMembers(List<Member> members) {
    Map<Long, Member> next = new LinkedHashMap<>();
    for (Member m : members) {
      if (m.id() != self.id()) {
        next.put(m.id(), m);
      }
    }
    synchronized (membersLock) {
      if (closed.get() || next.equals(peers)) {
        return;
      }
      for (Long id : List.copyOf(peers.keySet())) {
        if (!next.containsKey(id)) {
          log.info("server {}: {} is no longer a member; closing its connection", self.id(), peers.get(id));
          peers.remove(id);
          Dialer d = dialers.remove(id);
          if (d != null) {
            d.stop();
          }
          links.remove(id);
        }
      }
      for (Member m : next.values()) {
        Member old = peers.put(m.id(), m);
        if (m.equals(old)) {
          continue;
        }
        log.info("server {}: member {}{}", self.id(), m, old == null ? " added" : " moved from " + old);
        links.add(m.id());
        if (dialing) { // else start() dials every member it finds in peers
          Dialer d = dialers.put(m.id(), dialer(m));
          if (d != null) {
            d.stop();
          }
          dialers.get(m.id()).dialNow();
        }
      }
      if (rules != null) {
        rules.members(memberIds());
      }
    }
  }

  /** Also reports every rejected connection to {@code observer} (tests use it to await a reason). */
  void observeRejections(Rejections observer) {
    this.observer = observer;
  }

  private Rejections rejections() {
    Rejections logging = Rejections.logging(stats);
    return (channel, reason) -> {
      logging.rejected(channel, reason);
      observer.rejected(channel, reason);
    };
  }

  private ChannelInitializer<Channel> initializer(ChannelSetup setup, Member dialed) {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(Channel ch) {
        channels.add(ch);
        ch.closeFuture().addListener(f -> channels.remove(ch));
        setup.init(ch, dialed);
      }
    };
  }

  private void lost(long peer) {
    Dialer dialer = dialers.get(peer);
    if (dialer != null && !closed.get()) {
      dialer.dialNow();
    }
  }

  @Override
  public boolean send(long to, Message message) {
    Channel ch = links.active(to);
    if (ch == null) {
      return false;
    }
    int size;
    try {
      // a proposal's size is known from its shared frame after the first follower: not walked again for each
      size = message == lastEncoded ? lastFrame.readableBytes() - MessageCodec.LENGTH_PREFIX_BYTES
          : codec.encodedSize(message);
    } catch (CodecException tooLarge) {
      // dropping it silently would leave a gap in a FIFO channel: make it a connection loss instead
      long skipped = sendLog.tryLog("too large " + to);
      if (skipped >= 0) {
        log.error("server {}: cannot send {}: {}; closing the connection ({} more not logged)", to, message,
            tooLarge.getMessage(), skipped);
      }
      ch.close();
      return false;
    }
    long pending = ch.isWritable() ? 0 : config.writeBufferLow() + ch.bytesBeforeWritable();
    if (pending + size > config.maxPendingBytes()) {
      long skipped = sendLog.tryLog("overrun " + to);
      if (skipped >= 0) {
        log.warn("server {}: {} bytes already queued on {} and the peer is not reading; closing the connection "
            + "(bound {} bytes; {} more not logged)", to, pending, ch.remoteAddress(), config.maxPendingBytes(), skipped);
      }
      ch.close();
      return false;
    }
    inOrder(ch, frameOf(message, size, ch));
    stats.sent(MessageCodec.LENGTH_PREFIX_BYTES + size);
    unflushed.add(ch);
    return true;
  }

  /** The event loop of the connection in use to {@code peer}, or null (tests call it). */
  EventLoop loopOf(long peer) {
    Channel ch = links.active(peer);
    return ch == null ? null : ch.eventLoop();
  }

  /** The frame of {@code message}: encoded now, or shared with the last send of the same instance (tests call it). */
  ByteBuf frameOf(Message message, int size, Channel ch) {
    if (message == lastEncoded) {
      return lastFrame.retainedDuplicate();
    }
    int frameBytes = MessageCodec.LENGTH_PREFIX_BYTES + size;
    ByteBuf frame = ch.alloc().ioBuffer(frameBytes);
    try {
      ByteBuffer out = frame.nioBuffer(0, frameBytes);
      out.putInt(size);
      codec.encode(message, out);
      frame.writerIndex(frameBytes);
    } catch (RuntimeException e) {
      frame.release();
      throw e;
    }
    forgetEncoded();
    if (message instanceof Message.Proposal) { // the one message sent alike to several members
      lastEncoded = message;
      // own indexes: the connection given `frame` consumes it (TLS, a partial write), maybe before the next send
      lastFrame = frame.retainedDuplicate();
    }
    return frame;
  }

  private void forgetEncoded() {
    if (lastFrame != null) {
      lastFrame.release();
      lastFrame = null;
      lastEncoded = null;
    }
  }

  @Override
  public void flush() {
    forgetEncoded();
    for (Channel ch : unflushed) {
      inOrder(ch, null);
    }
    unflushed.clear();
  }

  /**
   * Writes {@code frame} to {@code ch} (or flushes it, if null) after every write and flush asked of it before, from
   * whatever thread. Netty runs a write from outside a channel's event loop as a task on that loop, but one made on the
   * loop itself at once: a batch run on an event loop (a received message's, {@code Inbound#received}) would put its
   * frames ahead of those the protocol thread queued a moment earlier, and a follower rejects a proposal that does not
   * follow the last it logged. On the loop, the write joins the queue of tasks too (it runs when the loop finishes what
   * it is doing: no wake-up).
   */
  private static void inOrder(Channel ch, ByteBuf frame) {
    EventLoop loop = ch.eventLoop();
    if (!loop.inEventLoop()) {
      if (frame == null) {
        ch.flush();
      } else {
        ch.write(frame, ch.voidPromise());
      }
      return;
    }
    try {
      loop.execute(frame == null ? ch::flush : () -> ch.write(frame, ch.voidPromise()));
    } catch (RejectedExecutionException shuttingDown) {
      if (frame != null) {
        frame.release(); // the connection goes with its loop; what it still had queued is lost with it anyway
      }
    }
  }

  @Override
  public void bindMetrics(NodeMetrics metrics) {
    stats.bind(metrics);
  }

  @Override
  public int maxFrameBytes() {
    return config.maxFrameBytes();
  }

  @Override
  public boolean isWritable(long to) {
    Channel ch = links.active(to);
    return ch != null && ch.isWritable();
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    links.close();
    dialers.values().forEach(Dialer::stop);
    if (server != null) {
      server.close().syncUninterruptibly();
    }
    for (Channel ch : new ArrayList<>(channels)) {
      ch.close();
    }
    if (group != null) {
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
    log.info("zab transport of server {} closed", self.id());
  }
}
