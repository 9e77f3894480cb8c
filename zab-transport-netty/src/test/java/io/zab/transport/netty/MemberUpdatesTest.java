package io.zab.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.Member;
import io.zab.wire.Message;
import io.zab.Zxid;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: the transport follows the cluster configuration ({@code Transport.updateMembers}): a server becomes
 * reachable once it is a member on both sides, loses its connection and is refused once it is not, and is dialed at
 * its new address when it moves.
 */
class MemberUpdatesTest {
  private static final Duration WAIT = TestCluster.WAIT;
  private final List<NettyTransport> started = new ArrayList<>();

  @AfterEach
  void close() {
    started.forEach(NettyTransport::close);
  }

  private NettyTransport start(long id, List<Member> members, RecordingInbound inbound, RejectionLog log) {
    NettyTransport t = (NettyTransport) NettyTransport.factory(TestCluster.fastConfig().build()).create(id, members);
    t.observeRejections(log);
    t.start(inbound);
    started.add(t);
    return t;
  }

  @Test
  void aServerAddedOnBothSidesConnectsAndARemovedOneIsDisconnectedAndRefused() throws Exception {
    List<Member> all = TestCluster.members(3);
    List<Member> two = all.subList(0, 2);
    RecordingInbound in1 = new RecordingInbound();
    RecordingInbound in2 = new RecordingInbound();
    RecordingInbound in3 = new RecordingInbound();
    RejectionLog log1 = new RejectionLog();
    NettyTransport t1 = start(1, two, in1, log1);
    NettyTransport t2 = start(2, two, in2, new RejectionLog());
    NettyTransport t3 = start(3, all, in3, new RejectionLog()); // a newcomer: it knows them, they not yet it
    in1.awaitConnected(2, WAIT);
    assertThat(log1.await(r -> r.message().contains("unknown server id 3"), WAIT)).isNotNull();
    assertThat(in1.isConnected(3)).isFalse();

    t1.updateMembers(all);
    in1.awaitConnected(3, WAIT);
    in3.awaitConnected(1, WAIT);
    assertThat(in3.isConnected(2)).as("2 does not know 3 yet").isFalse();
    t1.send(3, new Message.Ping(Zxid.of(1, 1)));
    t1.flush();
    in3.await(0, e -> e instanceof RecordingInbound.Received r && r.from() == 1, WAIT);

    int refusedBefore = log1.all().size();
    t1.updateMembers(two); // 3 was removed
    in1.awaitDisconnected(3, WAIT);
    in3.awaitDisconnected(1, WAIT);
    // 3 dials again, and is refused as unknown
    assertThat(log1.await(r -> log1.all().indexOf(r) >= refusedBefore && r.message().contains("unknown server id 3"),
        WAIT)).isNotNull();
    assertThat(in1.isConnected(3)).isFalse();
    assertThat(in1.isConnected(2)).as("the others are untouched").isTrue();
    assertThat(t2.stats().unexpectedErrors()).isZero();
  }

  @Test
  void aMemberThatMovedIsDialedAtItsNewAddress() throws Exception {
    List<Member> before = TestCluster.members(2);
    RecordingInbound in1 = new RecordingInbound();
    NettyTransport t1 = start(1, before, in1, new RejectionLog());
    NettyTransport old2 = start(2, before, new RecordingInbound(), new RejectionLog());
    in1.awaitConnected(2, WAIT);
    old2.close(); // server 2 stops, and comes back at another port
    in1.awaitDisconnected(2, WAIT);
    Member moved = new Member(2, "127.0.0.1", TestCluster.members(1).get(0).port());
    List<Member> after = List.of(before.get(0), moved);
    RecordingInbound in2 = new RecordingInbound();
    start(2, after, in2, new RejectionLog());
    t1.updateMembers(after);
    in1.awaitConnected(2, WAIT);
    in2.awaitConnected(1, WAIT);
  }
}
