package io.zab.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.embedded.EmbeddedChannel;
import io.zab.Zxid;
import io.zab.wire.Message;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The one-connection-per-peer rule, driven directly. This server is 2; its peers are 1 and 3. */
class PeerLinksTest {
  private final RecordingInbound inbound = new RecordingInbound();
  private final List<Long> lost = new ArrayList<>();
  private final Set<Long> dialing = new java.util.HashSet<>();
  /** The links' and the connections' clock, in nanoseconds. */
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final PeerLinks links = new PeerLinks(2, Set.of(1L, 3L), new TransportStats(), lost::add,
      dialing::contains, SILENCE, now::get);
  private static final Duration SILENCE = Duration.ofSeconds(5);

  PeerLinksTest() {
    links.start(inbound);
  }

  private static EmbeddedChannel channelOf(long peer) {
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.attr(PeerLinks.PEER).set(peer);
    return ch;
  }

  /** A connection whose pipeline notes when it last received something, on this test's clock. */
  private EmbeddedChannel clockedChannelOf(long peer) {
    EmbeddedChannel ch = new EmbeddedChannel(new ReadClock(now::get));
    ch.attr(PeerLinks.PEER).set(peer);
    return ch;
  }

  private void receiveOn(EmbeddedChannel ch) {
    now.addAndGet(1_000_000);
    ch.writeInbound(Unpooled.wrappedBuffer(new byte[4]));
    ch.releaseInbound();
  }

  @Test
  void aHealthyConnectionInUseIsNeverDisplacedByANewcomerClaimingTheSameId() {
    EmbeddedChannel real = clockedChannelOf(3);
    links.activate(3, real, 3);
    receiveOn(real); // proven: the real peer talks on it
    now.addAndGet(SILENCE.toNanos() - 2_000_000); // still within the silence allowed

    for (int attempt = 0; attempt < 3; attempt++) {
      EmbeddedChannel impostor = clockedChannelOf(3);
      assertThatThrownBy(() -> links.activate(3, impostor, 3)).isInstanceOf(DisplacementRefusedException.class)
          .hasMessageContaining("claiming to be server 3").hasMessageContaining("is healthy");
    }
    assertThat(links.active(3)).isSameAs(real);
    assertThat(real.isOpen()).isTrue();
    assertThat(inbound.events()).containsExactly(new RecordingInbound.Connected(3));
  }

  @Test
  void aPeerThatRestartedGetsInOnceItsOldConnectionHasFallenSilent() {
    EmbeddedChannel old = clockedChannelOf(1);
    links.activate(1, old, 1);
    receiveOn(old);
    now.addAndGet(SILENCE.toNanos()); // the host died: nothing more arrives on the old connection
    EmbeddedChannel restarted = clockedChannelOf(1);
    links.activate(1, restarted, 1);
    assertThat(links.active(1)).isSameAs(restarted);
    assertThat(old.isOpen()).isFalse();
  }

  @Test
  void aConnectionPausedByOurOwnBackpressureCountsAsHealthy() {
    EmbeddedChannel paused = clockedChannelOf(3);
    links.activate(3, paused, 3);
    paused.config().setAutoRead(false);
    now.addAndGet(10 * SILENCE.toNanos()); // silent because we stopped reading, not because the peer died
    assertThatThrownBy(() -> links.activate(3, clockedChannelOf(3), 3))
        .isInstanceOf(DisplacementRefusedException.class);
    assertThat(links.active(3)).isSameAs(paused);
  }

  @Test
  void aConnectionNotYetProvenStillFollowsTheTieBreakOfSimultaneousDials() {
    EmbeddedChannel dialedBy2 = clockedChannelOf(3);
    EmbeddedChannel dialedBy3 = clockedChannelOf(3);
    links.activate(3, dialedBy2, 2);
    links.activate(3, dialedBy3, 3); // nothing was received on the first yet: the larger initiator wins
    assertThat(links.active(3)).isSameAs(dialedBy3);
    assertThat(dialedBy2.isOpen()).isFalse();
  }

  @Test
  void theConnectionInitiatedByTheLargerIdWinsAndTheLoserIsClosed() {
    EmbeddedChannel dialedBy2 = channelOf(3);
    EmbeddedChannel dialedBy3 = channelOf(3);
    links.activate(3, dialedBy2, 2);
    links.activate(3, dialedBy3, 3);
    assertThat(dialedBy2.isOpen()).isFalse();
    assertThat(links.active(3)).isSameAs(dialedBy3);
    assertThat(inbound.events()).containsExactly(new RecordingInbound.Connected(3),
        new RecordingInbound.Disconnected(3), new RecordingInbound.Connected(3));

    EmbeddedChannel lateDialBy2 = channelOf(3);
    assertThatThrownBy(() -> links.activate(3, lateDialBy2, 2))
        .hasMessageContaining("duplicate connection for server 3").hasMessageContaining("initiated by server 3");
    assertThat(links.active(3)).isSameAs(dialedBy3);
    assertThat(inbound.events()).hasSize(3);
  }

  @Test
  void whileItsOwnDialIsInProgressAServerRefusesTheDialOfASmallerId() {
    dialing.add(1L);
    assertThatThrownBy(() -> links.activate(1, channelOf(1), 1))
        .hasMessageContaining("own dial to it is in progress");
    // a larger id's dial is taken even while this server dials it: it would win anyway
    dialing.add(3L);
    links.activate(3, channelOf(3), 3);
    assertThat(inbound.events()).containsExactly(new RecordingInbound.Connected(3));
    dialing.clear();
    links.activate(1, channelOf(1), 1);
    assertThat(links.active(1)).isNotNull();
  }

  @Test
  void aNewerConnectionFromTheSameInitiatorReplacesTheOlderOne() {
    EmbeddedChannel first = channelOf(1);
    EmbeddedChannel second = channelOf(1);
    links.activate(1, first, 2);
    links.activate(1, second, 2);
    assertThat(first.isOpen()).isFalse();
    assertThat(links.active(1)).isSameAs(second);
    // the replaced connection closing later is not a second loss
    links.channelClosed(first);
    assertThat(lost).isEmpty();
    assertThat(inbound.events()).containsExactly(new RecordingInbound.Connected(1),
        new RecordingInbound.Disconnected(1), new RecordingInbound.Connected(1));
  }

  @Test
  void messagesOnAReplacedConnectionAreDroppedSoTwoConnectionsNeverInterleave() {
    EmbeddedChannel old = channelOf(3);
    EmbeddedChannel current = channelOf(3);
    links.activate(3, old, 2);
    links.activate(3, current, 3);
    links.deliver(old, new Message.Ping(new Zxid(1)));
    links.deliver(current, new Message.Ping(new Zxid(2)));
    assertThat(inbound.events()).endsWith(new RecordingInbound.Received(3, new Message.Ping(new Zxid(2))));
    assertThat(inbound.events()).doesNotContain(new RecordingInbound.Received(3, new Message.Ping(new Zxid(1))));
  }

  @Test
  void losingTheConnectionInUseIsReportedOnceAndTriggersRedial() {
    EmbeddedChannel ch = channelOf(1);
    links.activate(1, ch, 2);
    links.channelClosed(ch);
    links.channelClosed(ch);
    assertThat(lost).containsExactly(1L);
    assertThat(links.active(1)).isNull();
    assertThat(inbound.events()).containsExactly(new RecordingInbound.Connected(1),
        new RecordingInbound.Disconnected(1));
  }

  @Test
  void afterCloseNothingIsReported() {
    EmbeddedChannel ch = channelOf(1);
    links.activate(1, ch, 2);
    links.close();
    links.channelClosed(ch);
    links.deliver(ch, new Message.Ping(Zxid.ZERO));
    assertThatThrownBy(() -> links.activate(3, channelOf(3), 3)).hasMessageContaining("closed");
    assertThat(inbound.events()).containsExactly(new RecordingInbound.Connected(1));
  }
}
