package io.zab.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.Zxid;
import io.zab.protocol.Event;
import io.zab.wire.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SimNetworkTest {
  private final Scheduler scheduler = new Scheduler();
  private final List<String> received = new ArrayList<>();
  private final boolean[] alive = {false, true, true, true};

  private final EventSink sink = new EventSink() {
    @Override
    public long incarnation(long server) {
      return 0;
    }

    @Override
    public boolean alive(long server) {
      return alive[(int) server];
    }

    @Override
    public boolean mayConnect(long a, long b) {
      return true;
    }

    @Override
    public void deliver(long to, long incarnation, Event event) {
      received.add(to + " " + describe(event));
    }

    @Override
    public void deliver(long to, long incarnation, long from, Message m, long generation, long bytes) {
      deliver(to, incarnation, new Event.Received(from, m));
    }

    @Override
    public void queued(long from, long to, long generation, long bytes, long messageBytes) {
      queued.add(from + "->" + to + " " + bytes);
    }
  };
  private final List<String> queued = new ArrayList<>();

  private static String describe(Event e) {
    if (e instanceof Event.Received r && r.message() instanceof Message.Ping p) {
      return "ping " + p.zxid().counter() + " from " + r.from();
    }
    return e.toString();
  }

  private SimNetwork network() {
    SimNetwork n = new SimNetwork(3, scheduler, new SplittableRandom(5),
        new NetworkModel(100, 5_000, 5_000, 1_000, 1_000), sink);
    n.reconnect();
    drain();
    received.clear();
    return n;
  }

  private void drain() {
    while (scheduler.runNext(Long.MAX_VALUE)) {
      // run everything due
    }
  }

  private static Message ping(int i) {
    return new Message.Ping(Zxid.of(1, i));
  }

  @Test
  void messagesOnOneConnectionArriveInOrder_despiteJitter() {
    SimNetwork n = network();
    for (int i = 0; i < 50; i++) {
      n.send(1, 2, ping(i));
    }
    drain();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      expected.add("2 ping " + i + " from 1");
    }
    assertThat(received).isEqualTo(expected);
  }

  @Test
  void aCutBreaksTheConnection_dropsWhatIsInFlight_andBothEndsAreTold() {
    SimNetwork n = network();
    n.send(1, 2, ping(1));
    n.cut(2, 1);
    n.send(1, 2, ping(2));
    drain();
    assertThat(received).containsExactlyInAnyOrder("1 PeerDisconnected[peer=2]", "2 PeerDisconnected[peer=1]");
    assertThat(n.connected(1, 2)).isFalse();

    received.clear();
    n.reconnect();   // still cut: no new connection
    drain();
    assertThat(received).isEmpty();

    n.healAll();
    n.reconnect();
    n.send(1, 2, ping(3));
    drain();
    assertThat(received).containsExactlyInAnyOrder("1 PeerConnected[peer=2]", "2 PeerConnected[peer=1]", "2 ping 3 from 1");
    assertThat(received.indexOf("2 PeerConnected[peer=1]")).isLessThan(received.indexOf("2 ping 3 from 1"));
  }

  @Test
  void aStalledDirectionHoldsItsMessagesWhileTheOtherFlows_andReleasesThemInOrderOnHeal() {
    SimNetwork n = network();
    n.stall(1, 2, 10_000_000, 10_000_000);
    n.send(1, 2, ping(1));
    n.send(2, 1, ping(2));
    n.send(1, 2, ping(3));
    scheduler.advanceTo(1_000_000);
    while (scheduler.runNext(1_000_000)) {
      // run what is due within the first second
    }
    assertThat(received).containsExactly("1 ping 2 from 2");
    assertThat(n.connected(1, 2)).isTrue();   // half-open: nobody noticed yet
    n.healAll();
    drain();
    assertThat(received).containsExactly("1 ping 2 from 2", "2 ping 1 from 1", "2 ping 3 from 1");
  }

  @Test
  void aStallOutlastingTheTcpTimeoutBreaksTheConnection_andDropsWhatWasHeld() {
    SimNetwork n = network();
    n.stall(1, 2, 2_000_000, 2_000_000);
    n.send(1, 2, ping(1));
    drain();
    assertThat(received).containsExactlyInAnyOrder("1 PeerDisconnected[peer=2]", "2 PeerDisconnected[peer=1]");
    received.clear();
    n.reconnect();   // no handshake while one direction is stalled
    drain();
    assertThat(received).isEmpty();
  }

  @Test
  void aBridgeTalksToBothSidesWhileTheSidesCannotTalk() {
    SimNetwork n = network();
    n.cut(1, 3);
    drain();
    assertThat(n.connected(1, 3)).isFalse();
    assertThat(n.connected(1, 2)).isTrue();
    assertThat(n.connected(2, 3)).isTrue();
  }

  @Test
  void aDeadServersConnectionsBreak() {
    SimNetwork n = network();
    alive[3] = false;
    n.refresh();
    drain();
    assertThat(received).containsExactlyInAnyOrder("1 PeerDisconnected[peer=3]", "2 PeerDisconnected[peer=3]");
  }

  @Test
  void proposalBytesQueuedOnALinkAreCountedUntilDeliveredAndForgottenWhenTheConnectionBreaks() {
    SimNetwork n = network();
    Message.Proposal p = new Message.Proposal(List.of(new io.zab.wire.Txn(Zxid.of(1, 1), new byte[100])));
    long size = io.zab.wire.MessageCodec.proposalBytes(p.txns());
    n.send(1, 2, p);
    n.send(1, 2, p);
    n.send(1, 2, new Message.Ping(Zxid.ZERO));
    assertThat(queued).containsExactly("1->2 " + size, "1->2 " + 2 * size, "1->2 " + 2 * size);
    drain();
    queued.clear();
    n.send(1, 2, p);
    assertThat(queued).as("delivered ones no longer count").containsExactly("1->2 " + size);
    n.cut(1, 2);
    drain();
    n.healAll();
    n.reconnect();
    drain();
    queued.clear();
    n.send(1, 2, p);
    assertThat(queued).as("a new connection starts from zero").containsExactly("1->2 " + size);
  }
}
