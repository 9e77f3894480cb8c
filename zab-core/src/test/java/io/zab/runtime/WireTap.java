package io.zab.runtime;

import io.zab.transport.LocalNetwork;
import io.zab.wire.CodecException;
import io.zab.wire.Message;
import io.zab.wire.MessageCodec;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link LocalNetwork} that round-trips every message through the wire codec and records the sync-stream
 * openers that cross it (DIFF, TRUNC, the first chunk of a SNAP), so a test can tell how a follower was synced.
 */
final class WireTap {
  private final List<Message> syncOpeners = new CopyOnWriteArrayList<>();
  private final LocalNetwork network;

  WireTap() {
    MessageCodec codec = new MessageCodec();
    network = LocalNetwork.create(LocalNetwork.DEFAULT_LINK_CAPACITY, m -> {
      if (m instanceof Message.Diff || m instanceof Message.Trunc
          || (m instanceof Message.SnapChunk c && c.offset() == 0)) {
        syncOpeners.add(m);
      }
      try {
        return codec.decode(ByteBuffer.wrap(codec.encode(m)));
      } catch (CodecException e) {
        throw new IllegalStateException("wire codec failed to round-trip " + m, e);
      }
    });
  }

  LocalNetwork network() {
    return network;
  }

  /** A position in the record; {@link #syncOpenersSince} lists what crossed after it. */
  int mark() {
    return syncOpeners.size();
  }

  List<Message> syncOpenersSince(int mark) {
    return List.copyOf(syncOpeners.subList(mark, syncOpeners.size()));
  }
}
