package io.zab.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.embedded.EmbeddedChannel;
import io.zab.Zxid;
import io.zab.wire.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The one-connection-per-peer rule, driven directly. This server is 2; its peers are 1 and 3. */
class PeerLinksTest {
  private final RecordingInbound inbound = new RecordingInbound();
  private final List<Long> lost = new ArrayList<>();
  private final Set<Long> dialing = new java.util.HashSet<>();
  private final PeerLinks links = new PeerLinks(2, Set.of(1L, 3L), new TransportStats(), lost::add,
      dialing::contains);

  PeerLinksTest() {
    links.start(inbound);
  }

  private static EmbeddedChannel channelOf(long peer) {
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.attr(PeerLinks.PEER).set(peer);
    return ch;
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
