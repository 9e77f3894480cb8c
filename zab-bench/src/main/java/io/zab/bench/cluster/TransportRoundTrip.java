package io.zab.bench.cluster;

import io.zab.Member;
import io.zab.Zxid;
import io.zab.transport.Transport;
import io.zab.transport.netty.NettyConfig;
import io.zab.transport.netty.NettyTransport;
import io.zab.wire.Message;
import io.zab.wire.Txn;
import java.io.File;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * One proposal in flight through {@link NettyTransport} between two JVMs, next to the raw blocking-socket round
 * trip ({@link LoopbackEcho}) in alternating slices of the same run: where a network leg of a one-in-flight write
 * spends its time beyond the loopback itself. The parent sends a Proposal of one txn from a plain thread (send,
 * then flush, from outside the event loop, as the protocol thread does); the child answers with an Ack either from
 * its event loop ({@code --answer loop}) or from another thread ({@code --answer thread}, as a follower answers
 * after its fsync).
 *
 * <p>Usage: {@code TransportRoundTrip --payload 1024 --slices 6 --slice-ms 1000 --answer thread}
 */
public final class TransportRoundTrip {
  private static final long PARENT = 1;
  private static final long CHILD = 2;
  /** Round trips after each switch of probe that are not counted: the first wake-ups of parked threads. */
  private static final long SLICE_WARMUP_MS = 20;

  private TransportRoundTrip() {}

  public static void main(String[] argv) throws Exception {
    RoundTripOptions options = RoundTripOptions.parse(argv);
    if (options.servePort() > 0) {
      ExitWithParent.watchStdin();
      serve(options);
      return;
    }
    System.out.println(run(options).text());
    System.exit(0);
  }

  static RoundTripReport run(RoundTripOptions options) throws Exception {
    List<String> classpath = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
    int[] ports = FreePorts.pick(3);
    Path logs = Path.of(System.getProperty("java.io.tmpdir"), "transport-round-trip");
    String loadBefore = InterleavedFloor.loadAverage();
    try (ProcessGroup processes = new ProcessGroup()) {
      Process child = processes.startJava(classpath, List.of("-Xmx128m"), TransportRoundTrip.class.getName(),
          List.of("--serve", Integer.toString(ports[1]), "--peer", Integer.toString(ports[0]), "--answer",
              options.answer()), logs.resolve("child.log"));
      Process echo = processes.startJava(classpath, List.of("-Xmx64m", "-XX:+UseSerialGC"),
          LoopbackEcho.class.getName(), List.of("--port", Integer.toString(ports[2]), "--payload",
              Integer.toString(options.payload())), logs.resolve("echo.log"));
      BlockingQueue<Message> replies = new ArrayBlockingQueue<>(16);
      CountDownLatch connected = new CountDownLatch(1);
      try (NettyTransport transport = endpoint(PARENT, ports[0], ports[1])) {
        transport.start(new Inbound(connected, replies::add));
        if (!connected.await(30, TimeUnit.SECONDS) || !child.isAlive()) {
          throw new IllegalStateException("the child endpoint did not connect; see " + logs.resolve("child.log"));
        }
        try (Socket socket = InterleavedFloor.connect(ports[2], echo)) {
          socket.setTcpNoDelay(true);
          TransportProbe transportProbe = new TransportProbe(transport, replies, options.payload());
          InterleavedFloor.RoundTrips rawProbe = new InterleavedFloor.RoundTrips(socket, options.payload());
          transportProbe.slice(0, 1000); // JIT, connection buffers
          rawProbe.slice(0, 1000);
          List<long[]> slices = new ArrayList<>();
          long[] switches = new long[2];
          Histogram transportAll = new Histogram(3);
          Histogram rawAll = new Histogram(3);
          for (int i = 0; i < options.slices(); i++) {
            long before = switches(child, echo);
            Histogram t = transportProbe.slice(SLICE_WARMUP_MS, options.sliceMs());
            long between = switches(child, echo);
            Histogram r = rawProbe.slice(SLICE_WARMUP_MS, options.sliceMs());
            long after = switches(child, echo);
            // the parent's own threads and the child's count for the transport, the echo's for raw
            switches[0] += between - before;
            switches[1] += after - between;
            slices.add(new long[] {t.getValueAtPercentile(50), r.getValueAtPercentile(50)});
            transportAll.add(t);
            rawAll.add(r);
          }
          return new RoundTripReport(options, slices, transportAll, rawAll, switches,
              loadBefore + " -> " + InterleavedFloor.loadAverage());
        }
      }
    }
  }

  /** Voluntary switches of this JVM and both children so far. */
  private static long switches(Process child, Process echo) {
    return ContextSwitches.voluntary(ProcessHandle.current().pid()) + ContextSwitches.voluntary(child.pid())
        + ContextSwitches.voluntary(echo.pid());
  }

  private static NettyTransport endpoint(long self, int selfPort, int peerPort) {
    String host = InetAddress.getLoopbackAddress().getHostAddress();
    return (NettyTransport) NettyTransport.factory(NettyConfig.builder("round-trip").plaintext().build())
        .create(self, List.of(new Member(PARENT, host, self == PARENT ? selfPort : peerPort),
            new Member(CHILD, host, self == CHILD ? selfPort : peerPort)));
  }

  /** The child: answers every Proposal with an Ack of its last txn. */
  private static void serve(RoundTripOptions options) throws InterruptedException {
    NettyTransport transport = endpoint(CHILD, options.servePort(), options.peerPort());
    Answer answer = proposal -> {
      // send and flush from one thread at a time: the SPI's protocol-thread contract
      synchronized (transport) {
        transport.send(PARENT, new Message.Ack(proposal.txns().get(proposal.txns().size() - 1).zxid()));
        transport.flush();
      }
    };
    if (options.answer().equals("loop")) {
      transport.start(new Inbound(new CountDownLatch(1), m -> answer.to((Message.Proposal) m)));
    } else {
      BlockingQueue<Message> proposals = new ArrayBlockingQueue<>(16);
      Thread answerer = new Thread(() -> {
        try {
          while (true) {
            answer.to((Message.Proposal) proposals.take());
          }
        } catch (InterruptedException stop) {
          Thread.currentThread().interrupt();
        }
      }, "answerer");
      answerer.setDaemon(true);
      answerer.start();
      transport.start(new Inbound(new CountDownLatch(1), proposals::add));
    }
    Thread.currentThread().join(); // until the parent goes away (ExitWithParent)
  }

  private interface Answer {
    void to(Message.Proposal proposal);
  }

  private static final class TransportProbe implements RoundTripProbe {
    private final Transport transport;
    private final BlockingQueue<Message> replies;
    private final byte[] data;
    private long counter;

    TransportProbe(Transport transport, BlockingQueue<Message> replies, int payload) {
      this.transport = transport;
      this.replies = replies;
      this.data = new byte[payload];
      new Random(42).nextBytes(data);
    }

    @Override
    public void roundTrip() throws Exception {
      Zxid zxid = new Zxid((1L << 32) + ++counter);
      // a fresh instance each time, as the core's proposals are: nothing cached between sends
      if (!transport.send(CHILD, new Message.Proposal(List.of(new Txn(zxid, Txn.Kind.APPLICATION, data))))) {
        throw new IllegalStateException("the connection to the child is down");
      }
      transport.flush();
      Message reply = replies.poll(10, TimeUnit.SECONDS);
      if (!(reply instanceof Message.Ack ack) || !ack.zxid().equals(zxid)) {
        throw new IllegalStateException("expected the ack of " + zxid + ", got " + reply);
      }
    }
  }

  private record Inbound(CountDownLatch connected, java.util.function.Consumer<Message> sink)
      implements Transport.Inbound {
    @Override
    public void received(long from, Message message) {
      sink.accept(message);
    }

    @Override
    public void connected(long peer) {
      connected.countDown();
    }

    @Override
    public void disconnected(long peer) {}
  }
}
