package io.zab.runtime;

import io.zab.StateMachine;
import io.zab.Zxid;
import io.zab.fixtures.RecordingStateMachine;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;

/** A recording state machine whose next apply can be made to wait (a slow application). */
final class HeldStateMachine implements StateMachine {
  private final RecordingStateMachine inner;
  private final CountDownLatch released = new CountDownLatch(1);
  final CountDownLatch entered = new CountDownLatch(1);
  private volatile boolean hold;

  HeldStateMachine() {
    this(new RecordingStateMachine());
  }

  HeldStateMachine(RecordingStateMachine inner) {
    this.inner = inner;
  }

  void holdNextApply() {
    hold = true;
  }

  void release() {
    released.countDown();
  }

  @Override
  public void apply(Zxid zxid, ByteBuffer txn) {
    if (hold) {
      hold = false;
      entered.countDown();
      try {
        released.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    inner.apply(zxid, txn);
  }

  @Override
  public void snapshot(OutputStream out) throws IOException {
    inner.snapshot(out);
  }

  @Override
  public void restore(InputStream in) throws IOException {
    inner.restore(in);
  }
}
