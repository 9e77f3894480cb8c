package io.zab.transport.netty;

import io.netty.channel.Channel;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Collects the connections a transport rejected, with their reasons, and lets a test await one. */
final class RejectionLog implements Rejections {
  record Rejection(SocketAddress remote, Throwable reason) {
    String message() {
      return String.valueOf(reason.getMessage());
    }
  }

  private final List<Rejection> rejections = new ArrayList<>();

  @Override
  public synchronized void rejected(Channel channel, Throwable reason) {
    rejections.add(new Rejection(channel.remoteAddress(), reason));
    notifyAll();
  }

  synchronized List<Rejection> all() {
    return List.copyOf(rejections);
  }

  /** Waits for a rejection of the connection from {@code remote} and returns it. */
  Rejection awaitFrom(SocketAddress remote, Duration timeout) throws InterruptedException {
    return await(r -> remote.equals(r.remote()), timeout);
  }

  synchronized Rejection await(Predicate<Rejection> match, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (Rejection r : rejections) {
        if (match.test(r)) {
          return r;
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("no matching rejection within " + timeout + "; got " + rejections);
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }
}
