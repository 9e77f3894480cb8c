package io.zab.runtime;

import static io.zab.fixtures.LocalCluster.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zab.ClosedException;
import io.zab.Member;
import io.zab.StateMachine;
import io.zab.ZabException;
import io.zab.ZabNode;
import io.zab.Zxid;
import io.zab.fixtures.LocalCluster;
import io.zab.fixtures.RecordingStateMachine;
import io.zab.transport.LocalNetwork;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shutdown and restart in one JVM (ZOOKEEPER-4712): nothing of a closed node may still run or write. */
class ShutdownSafetyTest {
  @TempDir
  Path dir;

  @Test
  void ZOOKEEPER_4712_aSecondCloseReturnsOnlyOnceEveryThreadOfTheNodeHasStopped() throws Exception {
    BlockingStateMachine sm = new BlockingStateMachine();
    try (LocalCluster cluster = new LocalCluster(dir, 1, b -> b.stateMachine(sm))) {
      ZabNode node = cluster.startAll().awaitLeader();
      node.submit(bytes("block")); // its apply blocks until released
      assertThat(sm.entered.await(20, TimeUnit.SECONDS)).isTrue();

      Thread first = new Thread(node::close, "first-close");
      first.start();
      // The first close has begun once requests are refused.
      LocalCluster.awaitCondition(LocalCluster.WAIT, () -> isClosed(node.submit(bytes("x"))), () -> "close to begin");

      assertThat(applyRunningWhenCloseReturns(node, sm))
          .as("the state machine was still being called when the second close() returned").isFalse();
      first.join(20_000);
    }
  }

  @Test
  void ZOOKEEPER_4712_aCloseFromInsideTheStateMachineCompletesOnlyAfterTheApplyThreadStopped() throws Exception {
    BlockingStateMachine sm = new BlockingStateMachine();
    try (LocalCluster cluster = new LocalCluster(dir, 1, b -> b.stateMachine(sm))) {
      ZabNode node = cluster.startAll().awaitLeader();
      sm.onBlock = node::close; // a callback closes its own node, then keeps the apply thread busy
      node.submit(bytes("block"));
      assertThat(sm.entered.await(20, TimeUnit.SECONDS)).isTrue();

      assertThat(applyRunningWhenCloseReturns(node, sm))
          .as("the state machine was still being called when close() returned (and the data dir unlocked)")
          .isFalse();
    }
  }

  @Test
  void ZOOKEEPER_4712_closeIsIdempotentAndARestartOnTheSameDirectoryKeepsEveryAcknowledgedWrite() throws Exception {
    try (LocalCluster cluster = new LocalCluster(dir, 3)) {
      cluster.startAll().awaitLeader();
      List<String> written = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        cluster.write(1 + i % 3, "w" + i);
        written.add("w" + i);
      }
      for (long id : cluster.ids()) {
        ZabNode n = cluster.node(id);
        cluster.stop(id);
        n.close(); // again: a no-op
        assertThat(n.role()).isEqualTo(io.zab.Role.LOOKING);
      }
      cluster.startAll().awaitLeader();
      cluster.awaitApplied(cluster.ids(), written);
      cluster.write(2, "after-restart");
      written.add("after-restart");
      cluster.awaitApplied(cluster.ids(), written);
    }
  }

  @Test
  void concurrentCloseAndSubmitLeaveNoFutureHanging() throws Exception {
    try (LocalCluster cluster = new LocalCluster(dir, 3)) {
      ZabNode leader = cluster.startAll().awaitLeader();
      List<CompletableFuture<Zxid>> futures = new ArrayList<>();
      AtomicBoolean stop = new AtomicBoolean();
      CompletableFuture<Void> submitter = CompletableFuture.runAsync(() -> {
        for (int i = 0; !stop.get() || i < 100; i++) {
          CompletableFuture<Zxid> f = leader.submit(bytes("c" + i));
          synchronized (futures) {
            futures.add(f);
          }
        }
      });
      LocalCluster.awaitCondition(LocalCluster.WAIT, () -> {
        synchronized (futures) {
          return futures.size() >= 100;
        }
      }, () -> "submits in flight");
      leader.close();
      stop.set(true);
      submitter.get(20, TimeUnit.SECONDS);
      List<CompletableFuture<Zxid>> all;
      synchronized (futures) {
        all = List.copyOf(futures);
      }
      for (CompletableFuture<Zxid> f : all) {
        try {
          f.get(20, TimeUnit.SECONDS); // a TimeoutException here is a future left hanging
        } catch (ExecutionException e) {
          assertThat(e.getCause()).isInstanceOf(ZabException.class);
        }
      }
      assertThat(leader.submit(bytes("late"))).failsWithin(1, TimeUnit.SECONDS)
          .withThrowableOfType(ExecutionException.class).withCauseInstanceOf(ClosedException.class);
    }
  }

  @Test
  void aSecondServerOnADataDirectoryInUseIsRefusedWithAClearError() throws Exception {
    List<Member> members = List.of(Member.local(1));
    Path data = dir.resolve("server-1");
    LocalNetwork net = LocalNetwork.create();
    LocalNetwork otherNet = LocalNetwork.create();
    ZabNode first = ZabNode.builder().serverId(1).members(members).dataDir(data).transport(net::transport)
        .stateMachine(new RecordingStateMachine()).build();
    first.start();
    try {
      ZabNode second = ZabNode.builder().serverId(1).members(members).dataDir(data).transport(otherNet::transport)
          .stateMachine(new RecordingStateMachine()).build();
      assertThatThrownBy(second::start).isInstanceOf(IOException.class)
          .hasMessageContaining(data.toString()).hasMessageContaining("in use");
      second.close();
    } finally {
      first.close();
    }
    ZabNode third = ZabNode.builder().serverId(1).members(members).dataDir(data).transport(net::transport)
        .stateMachine(new RecordingStateMachine()).build();
    third.start(); // the lock went with the first node's close
    third.close();
  }

  /**
   * Calls close() on another thread while {@code sm} is blocked in apply, releases it once that close() has
   * returned or is waiting, and tells whether apply was still running when close() returned.
   */
  private static boolean applyRunningWhenCloseReturns(ZabNode node, BlockingStateMachine sm) throws Exception {
    AtomicReference<Boolean> running = new AtomicReference<>();
    Thread closer = new Thread(() -> {
      node.close();
      running.set(sm.inApply.get());
    }, "test-close");
    closer.start();
    LocalCluster.awaitCondition(LocalCluster.WAIT, () -> closer.getState() == Thread.State.WAITING
        || closer.getState() == Thread.State.TIMED_WAITING || closer.getState() == Thread.State.TERMINATED,
        () -> "close() to return or wait");
    sm.release.countDown();
    closer.join(20_000);
    return running.get();
  }

  private static boolean isClosed(CompletableFuture<Zxid> f) {
    return f.isCompletedExceptionally() && f.handle((z, e) -> e).getNow(null) instanceof ClosedException;
  }

  /** Blocks inside apply of a txn whose payload is "block" until released. */
  private static final class BlockingStateMachine implements StateMachine {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicBoolean inApply = new AtomicBoolean();
    volatile Runnable onBlock = () -> {};

    @Override
    public void apply(Zxid zxid, ByteBuffer txn) {
      inApply.set(true);
      try {
        if (txn.equals(ByteBuffer.wrap(bytes("block")))) {
          onBlock.run();
          entered.countDown();
          release.await();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        inApply.set(false);
      }
    }

    @Override
    public void snapshot(OutputStream out) {}

    @Override
    public void restore(InputStream in) {}
  }
}
