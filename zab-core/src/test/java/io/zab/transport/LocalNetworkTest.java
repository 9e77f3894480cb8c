package io.zab.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.Member;
import io.zab.Zxid;
import io.zab.wire.Message;
import io.zab.wire.Message.Ping;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LocalNetworkTest {
  private static final List<Member> MEMBERS = List.of(Member.local(1), Member.local(2), Member.local(3));

  private final LocalNetwork net = LocalNetwork.create();
  private Transport t1;
  private Transport t2;
  private Transport t3;

  @AfterEach
  void closeAll() {
    for (Transport t : new Transport[] {t1, t2, t3}) {
      if (t != null) {
        t.close();
      }
    }
  }

  private static Ping ping(long n) {
    return new Ping(new Zxid(n));
  }

  @Test
  void connectedIsReportedOnBothSidesOnceBothStarted() throws Exception {
    RecordingInbound in1 = new RecordingInbound();
    RecordingInbound in2 = new RecordingInbound();
    t1 = net.transport(1, MEMBERS);
    t1.start(in1);
    assertThat(t1.send(2, ping(1))).as("no peer yet: dropped").isFalse();
    t2 = net.transport(2, MEMBERS);
    t2.start(in2);
    assertThat(in1.next()).isEqualTo("up 2");
    assertThat(in2.next()).isEqualTo("up 1");
    assertThat(net.connected(1, 2)).isTrue();
  }

  /** Issue 11: two servers are connected only while each lists the other, as with a real transport's handshake. */
  @Test
  void serversConnectOnlyWhileEachListsTheOtherAndMemberUpdatesFollow() throws Exception {
    List<Member> two = MEMBERS.subList(0, 2);
    RecordingInbound in1 = new RecordingInbound();
    RecordingInbound in3 = new RecordingInbound();
    t1 = net.transport(1, two);
    t1.start(in1);
    t3 = net.transport(3, MEMBERS); // a newcomer: it knows 1, 1 does not know it yet
    t3.start(in3);
    assertThat(net.connected(1, 3)).isFalse();
    t1.updateMembers(MEMBERS);
    assertThat(in1.next()).isEqualTo("up 3");
    assertThat(in3.next()).isEqualTo("up 1");
    t1.updateMembers(two);
    assertThat(in1.next()).isEqualTo("down 3");
    assertThat(in3.next()).isEqualTo("down 1");
    assertThat(net.connected(1, 3)).isFalse();
  }

  @Test
  void messagesOfOnePairArriveInSendOrder() throws Exception {
    RecordingInbound in2 = startPair();
    for (int i = 0; i < 1_000; i++) {
      assertThat(t1.send(2, ping(i))).isTrue();
    }
    t1.flush();
    for (int i = 0; i < 1_000; i++) {
      assertThat(in2.next()).isEqualTo("msg 1 " + ping(i));
    }
  }

  @Test
  void disconnectDropsInFlightMessagesReportsBothSidesAndReconnectsAfterHeal() throws Exception {
    RecordingInbound in1 = new RecordingInbound();
    StallingInbound in2 = new StallingInbound(); // holds its delivery thread so later messages stay in flight
    startPair(net, in1, in2);

    t1.send(2, ping(1));
    assertThat(in2.firstArrived.await(5, TimeUnit.SECONDS)).isTrue();
    t1.send(2, ping(2));
    t1.send(2, ping(3));
    net.disconnect(1, 2);
    assertThat(t1.send(2, ping(4))).as("send on a cut link").isFalse();
    in2.release.countDown();

    assertThat(in2.next()).isEqualTo("msg 1 " + ping(1));
    assertThat(in2.next()).as("in-flight messages 2 and 3 are dropped").isEqualTo("down 1");
    assertThat(in1.next()).isEqualTo("down 2");
    assertThat(net.connected(1, 2)).isFalse();

    net.heal();
    assertThat(in1.next()).isEqualTo("up 2");
    assertThat(in2.next()).isEqualTo("up 1");
    assertThat(t1.send(2, ping(5))).isTrue();
    assertThat(in2.next()).isEqualTo("msg 1 " + ping(5));
  }

  @Test
  void partitionCutsOnlyPairsAcrossGroups() throws Exception {
    RecordingInbound in1 = new RecordingInbound();
    RecordingInbound in2 = new RecordingInbound();
    RecordingInbound in3 = new RecordingInbound();
    t1 = net.transport(1, MEMBERS);
    t1.start(in1);
    t2 = net.transport(2, MEMBERS);
    t2.start(in2);
    t3 = net.transport(3, MEMBERS);
    t3.start(in3);
    awaitConnected(1, 2);
    awaitConnected(1, 3);
    awaitConnected(2, 3);

    net.partition(Set.of(1L, 2L), Set.of(3L));
    assertThat(net.connected(1, 2)).isTrue();
    assertThat(net.connected(1, 3)).isFalse();
    assertThat(net.connected(2, 3)).isFalse();
    assertThat(t3.send(1, ping(1))).isFalse();
    assertThat(t2.send(1, ping(2))).isTrue();

    net.heal();
    assertThat(net.connected(1, 3)).isTrue();
    assertThat(net.connected(2, 3)).isTrue();
  }

  @Test
  void isolateCutsEveryConnectionOfOneServer() throws Exception {
    startPair();
    t3 = net.transport(3, MEMBERS);
    t3.start(new RecordingInbound());
    net.isolate(3);
    assertThat(net.connected(1, 2)).isTrue();
    assertThat(net.connected(1, 3)).isFalse();
    assertThat(net.connected(2, 3)).isFalse();
  }

  @Test
  void overflowOfALinkIsAConnectionLossFollowedByAReconnect() throws Exception {
    LocalNetwork small = LocalNetwork.create(4, m -> m);
    RecordingInbound in1 = new RecordingInbound();
    StallingInbound in2 = new StallingInbound();
    startPair(small, in1, in2);
    assertThat(t1.send(2, ping(0))).isTrue();
    assertThat(in2.firstArrived.await(5, TimeUnit.SECONDS)).isTrue();
    int accepted = 1;
    while (t1.send(2, ping(accepted))) {
      accepted++;
      assertThat(accepted).as("the bound must stop the sender").isLessThanOrEqualTo(5);
    }
    assertThat(accepted).as("4 queued behind the one being delivered").isEqualTo(5);
    assertThat(in1.next()).isEqualTo("down 2");
    assertThat(in1.next()).as("overflow reconnects").isEqualTo("up 2");
    in2.release.countDown();
    assertThat(in2.next()).isEqualTo("msg 1 " + ping(0));
    assertThat(in2.next()).as("the queued messages died with the connection").isEqualTo("down 1");
    assertThat(in2.next()).isEqualTo("up 1");
  }

  @Test
  void aHeldDirectionWaitsInOrderWhileTheOtherFlowsAndPastItsByteBoundTheConnectionCloses() throws Exception {
    RecordingInbound in1 = new RecordingInbound();
    RecordingInbound in2 = startPair(net, in1, new RecordingInbound());
    net.hold(1, 2);
    byte[] mib = new byte[1 << 20];
    int sent = 0;
    while (t1.isWritable(2)) { // writable below the 4 MiB high mark
      assertThat(t1.send(2, new Message.Request(sent++, mib))).isTrue();
    }
    assertThat(sent).isEqualTo(4);
    assertThat(t2.send(1, ping(7))).isTrue();
    assertThat(in1.next()).as("the other direction flows").isEqualTo("msg 2 " + ping(7));
    net.release(1, 2);
    for (int i = 0; i < sent; i++) {
      assertThat(in2.next()).startsWith("msg 1 Request[" + i + ",");
    }

    net.hold(1, 2);
    long bound = LocalNetwork.DEFAULT_WRITE_BUFFER_HIGH_BYTES + 2L * io.zab.wire.MessageCodec.DEFAULT_MAX_FRAME_BYTES;
    int accepted = 0;
    while (t1.send(2, new Message.Request(accepted, mib))) {
      accepted++;
      assertThat(accepted).as("the byte bound must stop the sender").isLessThanOrEqualTo(40);
    }
    assertThat((long) accepted << 20).isLessThanOrEqualTo(bound);
    assertThat(net.overflows()).isEqualTo(1);
    assertThat(in1.next()).isEqualTo("down 2");
  }

  @Test
  void closedTransportIsReportedDownAndTheIdCanStartAgain() throws Exception {
    RecordingInbound in2 = startPair();
    t1.close();
    t1.close(); // idempotent
    assertThat(in2.next()).isEqualTo("down 1");
    RecordingInbound again = new RecordingInbound();
    t1 = net.transport(1, MEMBERS);
    t1.start(again);
    assertThat(again.next()).isEqualTo("up 2");
    assertThat(in2.next()).isEqualTo("up 1");
  }

  @Test
  void messagesCanPassThroughAWireFunction() throws Exception {
    LocalNetwork rewriting = LocalNetwork.create(100, m -> ping(42));
    RecordingInbound in2 = new RecordingInbound();
    t1 = rewriting.transport(1, MEMBERS);
    t1.start(new RecordingInbound());
    t2 = rewriting.transport(2, MEMBERS);
    t2.start(in2);
    assertThat(in2.next()).isEqualTo("up 1");
    assertThat(t1.send(2, ping(1))).isTrue();
    assertThat(in2.next()).isEqualTo("msg 1 " + ping(42));
  }

  @Test
  void theCodecNetworkDeliversAnEqualCopy() throws Exception {
    LocalNetwork coded = LocalNetwork.createWithCodec();
    java.util.concurrent.BlockingQueue<Message> got = new java.util.concurrent.LinkedBlockingQueue<>();
    t1 = coded.transport(1, MEMBERS);
    t1.start(new RecordingInbound());
    t2 = coded.transport(2, MEMBERS);
    t2.start(new RecordingInbound() {
      @Override
      public void received(long from, Message message) {
        got.add(message);
      }
    });
    assertThat(coded.connected(1, 2)).isTrue();
    Message sent = new Message.Proposal(List.of(new io.zab.wire.Txn(Zxid.of(1, 1), new byte[] {1, 2, 3})));
    assertThat(t1.send(2, sent)).isTrue();
    Message received = got.poll(5, TimeUnit.SECONDS);
    assertThat(received).isEqualTo(sent).isNotSameAs(sent);
  }

  private RecordingInbound startPair() throws InterruptedException {
    return startPair(net, new RecordingInbound(), new RecordingInbound());
  }

  /** Starts servers 1 and 2 on {@code network} and consumes their "up" events; returns {@code in2}. */
  private RecordingInbound startPair(LocalNetwork network, RecordingInbound in1, RecordingInbound in2)
      throws InterruptedException {
    t1 = network.transport(1, MEMBERS);
    t1.start(in1);
    t2 = network.transport(2, MEMBERS);
    t2.start(in2);
    assertThat(in1.next()).isEqualTo("up 2");
    assertThat(in2.next()).isEqualTo("up 1");
    return in2;
  }

  private void awaitConnected(long a, long b) {
    assertThat(net.connected(a, b)).as("connected %d-%d", a, b).isTrue();
  }

  /** Records like its parent, then blocks the delivery thread in the first callback until released. */
  private static final class StallingInbound extends RecordingInbound {
    final CountDownLatch firstArrived = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public void received(long from, Message message) {
      super.received(from, message);
      firstArrived.countDown();
      try {
        release.await(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Test
  void aSendRightAfterConnectedIsNeverDroppedWhileTheConnectionIsBeingOpened() throws Exception {
    java.util.concurrent.atomic.AtomicInteger dropped = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.Semaphore ups = new java.util.concurrent.Semaphore(0);
    t1 = net.transport(1, MEMBERS);
    t2 = net.transport(2, MEMBERS);
    t2.start(new RecordingInbound());
    Transport sender = t1;
    t1.start(new Transport.Inbound() {
      @Override
      public void received(long from, Message message) {}

      @Override
      public void connected(long peer) {
        if (!sender.send(peer, ping(1))) { // announced as connected: must not vanish without a disconnect
          dropped.incrementAndGet();
        }
        ups.release();
      }

      @Override
      public void disconnected(long peer) {}
    });
    assertThat(ups.tryAcquire(5, TimeUnit.SECONDS)).isTrue();
    for (int i = 0; i < 2_000; i++) {
      net.disconnect(1, 2);
      net.heal();
      assertThat(ups.tryAcquire(5, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(dropped).hasValue(0);
  }
}
