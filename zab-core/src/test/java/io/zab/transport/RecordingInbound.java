package io.zab.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.wire.Message;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Records what a transport delivers, as strings such as {@code "up 2"}, {@code "msg 2 Ping[...]"}, {@code "down 2"}. */
class RecordingInbound implements Transport.Inbound {
  final BlockingQueue<String> events = new LinkedBlockingQueue<>();

  @Override
  public void received(long from, Message message) {
    events.add("msg " + from + " " + message);
  }

  @Override
  public void connected(long peer) {
    events.add("up " + peer);
  }

  @Override
  public void disconnected(long peer) {
    events.add("down " + peer);
  }

  /** The next event, failing the test if none arrives within 5 s. */
  String next() throws InterruptedException {
    String e = events.poll(5, TimeUnit.SECONDS);
    assertThat(e).as("an event within 5 s").isNotNull();
    return e;
  }
}
