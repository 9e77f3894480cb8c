package io.zab.runtime;

import static io.zab.fixtures.LocalCluster.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import io.zab.Member;
import io.zab.ZabNode;
import io.zab.fixtures.LocalCluster;
import io.zab.fixtures.RecordingStateMachine;
import io.zab.transport.LocalNetwork;
import io.zab.transport.Transport;
import io.zab.wire.Message;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The core's first actions (its votes, a membership update after a restart with an uncommitted change) must find the
 * transport started: NettyTransport dialed a new member from a half-started transport and the protocol thread died
 * with a NullPointerException (found by the real-process ReplaceServerProcessTest). A node starts its transport
 * before its protocol thread.
 */
class TransportStartOrderTest {
  @TempDir Path dir;

  @Test
  void noMessageOrMembershipUpdateReachesTheTransportBeforeItIsStarted() throws Exception {
    List<String> beforeStart = new CopyOnWriteArrayList<>();
    CountDownLatch called = new CountDownLatch(1);
    LocalNetwork net = LocalNetwork.create();
    ZabNode node = ZabNode.builder().serverId(1).members(List.of(Member.local(1), Member.local(2), Member.local(3)))
        .dataDir(dir).stateMachine(new RecordingStateMachine()).tick(LocalCluster.TICK).timeouts(LocalCluster.FAST)
        .transport((self, members) -> new StartWatch(net.transport(self, members), beforeStart, called)).build();
    try {
      node.start();
      // Alone of three, it votes (sends) as soon as its protocol thread runs.
      assertThat(called.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("a vote sent").isTrue();
      assertThat(beforeStart).as("calls of the protocol thread before start() returned").isEmpty();
    } finally {
      node.close();
    }
  }

  /** Records calls that come before {@code start} returned; its start waits a little for such a call to show up. */
  private static final class StartWatch implements Transport {
    private final Transport inner;
    private final List<String> beforeStart;
    private final CountDownLatch called;
    private volatile boolean started;

    StartWatch(Transport inner, List<String> beforeStart, CountDownLatch called) {
      this.inner = inner;
      this.beforeStart = beforeStart;
      this.called = called;
    }

    @Override
    public void start(Inbound inbound) {
      try {
        // Gives a protocol thread already running the time to call in (a real transport binds and dials here); with
        // the right order nothing can, and this only waits out its bound.
        called.await(300, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      inner.start(inbound);
      started = true;
    }

    private void call(String what) {
      // Before start only the node's own start-up may tell the transport its members (they are then dialed by start)
      if (!started && Thread.currentThread().getName().startsWith("zab-protocol")) {
        beforeStart.add(what);
      }
      if (what.startsWith("send")) {
        called.countDown();
      }
    }

    @Override
    public void updateMembers(List<Member> members) {
      call("updateMembers " + members);
      inner.updateMembers(members);
    }

    @Override
    public boolean send(long to, Message message) {
      call("send to " + to + ": " + message);
      return inner.send(to, message);
    }

    @Override
    public void flush() {
      inner.flush();
    }

    @Override
    public void close() {
      inner.close();
    }
  }
}
