package io.zab.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.Role;
import io.zab.Zxid;
import io.zab.protocol.Action.Append;
import io.zab.protocol.Action.Complete;
import io.zab.protocol.Action.Deliver;
import io.zab.protocol.Action.Reject;
import io.zab.protocol.Action.Send;
import io.zab.wire.Message;
import io.zab.wire.Message.Ack;
import io.zab.wire.Message.Commit;
import io.zab.wire.Message.Proposal;
import io.zab.wire.Message.RejectCode;
import io.zab.wire.Txn;
import java.util.List;
import org.junit.jupiter.api.Test;

/** S8 atomic broadcast: FIFO proposals, pipelining, cumulative acks, quorum commits in zxid order. */
class S8BroadcastTest {

  private static CoreCluster established3() {
    CoreCluster c = new CoreCluster(3);
    c.startAllEstablished();
    assertThat(c.leaders()).containsExactly(3L);
    return c;
  }

  /** Three servers, every fsync reported by the test, and write "a" (request 1) proposed and acked by nobody yet. */
  private static CoreCluster aProposedNoneDurable() {
    CoreCluster c = established3();
    for (long sid = 1; sid <= 3; sid++) {
      c.manualPersist(sid, true);
    }
    c.submit(3, 1, "a");
    return c;
  }

  private static Event submit(long id, String data) {
    return new Event.Submit(id, data.getBytes());
  }

  @Test
  void leaderSendsProposalsInTheSameActionListAsItsAppendBeforeItsOwnFsync() {
    CoreCluster c = established3();
    c.manualPersist(3, true);
    List<Action> out = c.step(3, submit(1, "a"));
    Txn t = new Txn(Zxid.of(1, 1), "a".getBytes());
    assertThat(out).as("proposals ahead of the append, so followers fsync in parallel with the leader")
        .containsExactly(new Send(1, new Proposal(List.of(t))), new Send(2, new Proposal(List.of(t))),
            new Append(List.of(t)));
  }

  @Test
  void leaderCountsItselfOnlyAfterItsOwnFsync() {
    CoreCluster c = established3();
    c.manualPersist(3, true);
    c.pause(2, 3); // 2's ack never arrives
    c.submit(3, 1, "a");
    assertThat(c.sent(1, 3)).contains(new Ack(Zxid.of(1, 1)));
    assertThat(c.peer(3).committedZxid()).as("1's ack alone is not a quorum of 3").isEqualTo(Zxid.ZERO);
    assertThat(c.answers.get(3L)).isEmpty();

    List<Action> out = c.step(3, new Event.Persisted(c.disk(3).fsync()));
    assertThat(out).contains(new Deliver(List.of(new Txn(Zxid.of(1, 1), "a".getBytes()))),
        new Complete(1, Zxid.of(1, 1)), new Send(1, new Commit(Zxid.of(1, 1))));
    assertThat(out.indexOf(new Complete(1, Zxid.of(1, 1))))
        .as("the write's completion precedes the delivery of its txn (issue 16: its apply's result has a taker)")
        .isLessThan(out.indexOf(new Deliver(List.of(new Txn(Zxid.of(1, 1), "a".getBytes())))));
  }

  @Test
  void followersAloneFormAQuorumWhileTheLeaderFsyncs() {
    CoreCluster c = established3();
    c.manualPersist(3, true);
    c.submit(3, 1, "a");
    assertThat(c.peer(3).committedZxid()).isEqualTo(Zxid.of(1, 1));
    assertThat(c.peer(3).lastZxid()).isEqualTo(Zxid.of(1, 1));
  }

  @Test
  void proposalsArePipelinedWithoutWaitingForAcks() {
    CoreCluster c = established3();
    c.pause(1, 3);
    c.pause(2, 3);
    for (int i = 1; i <= 5; i++) {
      c.submit(3, i, "v" + i);
    }
    assertThat(c.sent(3, 1).stream().filter(m -> m instanceof Proposal)).hasSize(5);
    assertThat(c.peer(3).committedZxid()).isEqualTo(Zxid.ZERO);
    assertThat(c.peer(1).lastZxid()).isEqualTo(Zxid.of(1, 5));
    c.resume(1, 3);
    assertThat(c.peer(3).committedZxid()).isEqualTo(Zxid.of(1, 5));
    assertThat(c.answers.get(3L)).extracting(a -> ((Complete) a).requestId()).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(c.deliveredZxids(1)).containsExactly(
        Zxid.of(1, 1), Zxid.of(1, 2), Zxid.of(1, 3), Zxid.of(1, 4), Zxid.of(1, 5));
  }

  @Test
  void followerAcksCumulativelyOncePerPersistedBatch() {
    CoreCluster c = established3();
    c.manualPersist(1, true);
    for (int i = 1; i <= 3; i++) {
      c.submit(3, i, "v" + i);
    }
    assertThat(c.sent(1, 3)).noneMatch(m -> m instanceof Ack);
    List<Action> out = c.peer(1).handleAll(List.of(
        new Event.Persisted(Zxid.of(1, 1)), new Event.Persisted(Zxid.of(1, 2)), new Event.Persisted(Zxid.of(1, 3))));
    assertThat(out).containsExactly(new Send(3, new Ack(Zxid.of(1, 3))));
  }

  @Test
  void submitsOfOneBatchBecomeOneAppendAndOneProposalPerFollower() {
    CoreCluster c = established3();
    List<Action> out = c.peer(3).handleAll(List.of(submit(1, "a"), submit(2, "b"), submit(3, "c")));
    List<Txn> txns = List.of(new Txn(Zxid.of(1, 1), "a".getBytes()), new Txn(Zxid.of(1, 2), "b".getBytes()),
        new Txn(Zxid.of(1, 3), "c".getBytes()));
    assertThat(out).containsExactly(new Send(1, new Proposal(txns)), new Send(2, new Proposal(txns)), new Append(txns));
  }

  @Test
  void submitsInterleavedWithAcksAndPersistedOfOneBatchStillBecomeOneProposalPerFollower() {
    CoreCluster c = aProposedNoneDurable();
    Txn a = new Txn(Zxid.of(1, 1), "a".getBytes());
    List<Action> out = c.peer(3).handleAll(List.of(submit(2, "b"), new Event.Received(1, new Ack(a.zxid())),
        submit(3, "c"), new Event.Persisted(c.disk(3).fsync()), submit(4, "d")));
    List<Txn> txns = List.of(new Txn(Zxid.of(1, 2), "b".getBytes()), new Txn(Zxid.of(1, 3), "c".getBytes()),
        new Txn(Zxid.of(1, 4), "d".getBytes()));
    assertThat(out.stream().filter(x -> x instanceof Send s && s.message() instanceof Proposal))
        .as("the acks and the fsync report between the submits do not cut the run into several proposals")
        .containsExactly(new Send(1, new Proposal(txns)), new Send(2, new Proposal(txns)));
    assertThat(out.stream().filter(x -> x instanceof Append)).containsExactly(new Append(txns));
    assertThat(out).as("the ack and the leader's own fsync commit a in the same batch")
        .contains(new Complete(1, a.zxid()), new Send(1, new Commit(a.zxid())), new Send(2, new Commit(a.zxid())));
  }

  @Test
  void aBatchThatCommitsAndProposesEmitsBothSendsBeforeItsAppend() {
    CoreCluster c = aProposedNoneDurable();
    Zxid a = Zxid.of(1, 1);
    List<Action> out = c.peer(3).handleAll(List.of(new Event.Received(1, new Ack(a)),
        new Event.Persisted(c.disk(3).fsync()), submit(2, "b")));
    List<Txn> b = List.of(new Txn(Zxid.of(1, 2), "b".getBytes()));
    int append = out.indexOf(new Append(b));
    for (long follower = 1; follower <= 2; follower++) {
      int commit = out.indexOf(new Send(follower, new Commit(a)));
      int proposal = out.indexOf(new Send(follower, new Proposal(b)));
      assertThat(commit).as("the commit of a goes to %s ahead of the next proposal", follower)
          .isNotNegative().isLessThan(proposal);
      assertThat(proposal).as("both precede the append, so the runtime flushes them to %s at once", follower)
          .isLessThan(append);
    }
  }

  @Test
  void commitsFollowZxidOrderAndAreCumulative() {
    CoreCluster c = established3();
    c.manualPersist(1, true);
    c.manualPersist(2, true);
    c.manualPersist(3, true);
    for (int i = 1; i <= 4; i++) {
      c.submit(3, i, "v" + i);
    }
    c.step(3, new Event.Persisted(Zxid.of(1, 4)));
    c.step(1, new Event.Persisted(Zxid.of(1, 2)));
    c.run();
    assertThat(c.peer(3).committedZxid()).isEqualTo(Zxid.of(1, 2));
    c.step(2, new Event.Persisted(Zxid.of(1, 4)));
    c.run();
    assertThat(c.peer(3).committedZxid()).isEqualTo(Zxid.of(1, 4));
    List<Message> commits = c.sent(3, 1).stream().filter(m -> m instanceof Commit).toList();
    assertThat(commits).containsExactly(new Commit(Zxid.of(1, 2)), new Commit(Zxid.of(1, 4)));
    assertThat(c.deliveredZxids(3)).containsExactly(Zxid.of(1, 1), Zxid.of(1, 2), Zxid.of(1, 3), Zxid.of(1, 4));
    assertThat(c.deliveredZxids(1)).isEqualTo(c.deliveredZxids(3));
  }

  @Test
  void backpressureRejectsWhenTooManyAreOutstandingAndTooLargePayloads() {
    CoreCluster c = new CoreCluster(3).withLimits(8, 3, 100);
    c.startAllEstablished();
    c.pause(1, 3);
    c.pause(2, 3);
    for (int i = 1; i <= 4; i++) {
      c.submit(3, i, "v");
    }
    c.submit(3, 5, "123456789");
    assertThat(c.answers.get(3L)).containsExactly(
        new Reject(4, RejectCode.OVERLOADED, 3), new Reject(5, RejectCode.TOO_LARGE, 3));
    c.resume(1, 3);
    c.submit(3, 6, "v");
    assertThat(c.answers.get(3L)).contains(new Complete(6, Zxid.of(1, 4)));
  }

  @Test
  void followerRefusesAProposalThatLeavesAGap() {
    CoreCluster c = established3();
    List<Action> out = c.step(1, new Event.Received(3,
        new Proposal(List.of(new Txn(Zxid.of(1, 2), new byte[0])))));
    assertThat(out).noneMatch(a -> a instanceof Append);
    assertThat(c.peer(1).role()).isEqualTo(Role.LOOKING);
  }
}
