package io.zab.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.Member;
import io.zab.Role;
import io.zab.ZabNode;
import io.zab.Zxid;
import io.zab.fixtures.LocalCluster;
import io.zab.transport.LocalNetwork;
import io.zab.transport.Transport;
import io.zab.wire.Message;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A message that arrives while the protocol is idle is handled on the transport's thread (issue 12): a follower's
 * PROPOSAL reaches its log before received() returns, and the leader's ACK becomes a COMMIT sent from the transport's
 * thread, neither waiting for the protocol thread to wake.
 */
class ReceivedInPlaceTest {
  private static final int WRITES = 20;

  @TempDir Path dir;

  private final Map<Long, ZabNode> nodes = new ConcurrentHashMap<>();
  /** Per follower proposal received while following: whether its log held it when received() returned. */
  private final List<Boolean> proposalsLoggedOnReturn = new CopyOnWriteArrayList<>();
  /** The thread of every COMMIT send: "<server> <thread>". */
  private final List<String> commitSenders = new CopyOnWriteArrayList<>();
  private final AtomicInteger recording = new AtomicInteger(); // 0 until the measured writes start

  @Test
  void anIdleFollowerLogsAProposalAndAnIdleLeaderCommitsAnAckOnTheTransportThread() throws Exception {
    LocalNetwork net = LocalNetwork.createWithCodec();
    try (LocalCluster cluster = new LocalCluster(dir, 3, net,
        b -> b.transport((self, members) -> new Watched(self, net.transport(self, members))))) {
      cluster.startAll();
      cluster.ids().forEach(id -> nodes.put(id, cluster.node(id)));
      long leader = cluster.awaitLeader().serverId();
      cluster.write(leader, "warm-up");

      recording.set(1);
      for (int i = 0; i < WRITES; i++) { // one in flight: each protocol thread is idle when the next arrives
        cluster.write(leader, "w" + i);
      }
      recording.set(0);

      // The COMMIT leaves from the thread whose event completed the quorum: an ACK's (the transport's) unless the
      // leader's own fsync was last (the log writer's); never the transport's before.
      assertThat(commitSenders).as("COMMIT sent from the leader's transport thread: %s", commitSenders)
          .anyMatch(s -> s.equals(leader + " zab-local-transport-" + leader));
      assertThat(proposalsLoggedOnReturn).hasSizeGreaterThanOrEqualTo(WRITES);
      // Before, received() only queued it: the protocol thread, still to be woken, could not have logged it yet.
      // The protocol thread's own ticks may still take a few.
      assertThat(proposalsLoggedOnReturn.stream().filter(b -> b).count()).as("logged on return: %s",
          proposalsLoggedOnReturn).isGreaterThanOrEqualTo(proposalsLoggedOnReturn.size() / 2);
    }
  }

  /** Records where the COMMITs leave from and whether a follower's proposal is logged once received() returns. */
  private final class Watched implements Transport {
    private final long self;
    private final Transport inner;

    Watched(long self, Transport inner) {
      this.self = self;
      this.inner = inner;
    }

    @Override
    public void start(Inbound inbound) {
      inner.start(new Inbound() {
        @Override
        public void received(long from, Message message) {
          inbound.received(from, message);
          ZabNode node = nodes.get(self);
          if (recording.get() == 1 && message instanceof Message.Proposal p && !p.txns().isEmpty() && node != null
              && node.role() == Role.FOLLOWING) {
            Zxid last = p.txns().get(p.txns().size() - 1).zxid();
            proposalsLoggedOnReturn.add(node.lastZxid().compareTo(last) >= 0);
          }
        }

        @Override
        public void connected(long peer) {
          inbound.connected(peer);
        }

        @Override
        public void disconnected(long peer) {
          inbound.disconnected(peer);
        }

        @Override
        public boolean hasRoom() {
          return inbound.hasRoom();
        }

        @Override
        public void whenRoom(Runnable resume) {
          inbound.whenRoom(resume);
        }
      });
    }

    @Override
    public boolean send(long to, Message message) {
      if (recording.get() == 1 && message instanceof Message.Commit) {
        commitSenders.add(self + " " + Thread.currentThread().getName());
      }
      return inner.send(to, message);
    }

    @Override
    public void flush() {
      inner.flush();
    }

    @Override
    public boolean isWritable(long to) {
      return inner.isWritable(to);
    }

    @Override
    public int maxFrameBytes() {
      return inner.maxFrameBytes();
    }

    @Override
    public void updateMembers(List<Member> members) {
      inner.updateMembers(members);
    }

    @Override
    public void close() {
      inner.close();
    }
  }
}
