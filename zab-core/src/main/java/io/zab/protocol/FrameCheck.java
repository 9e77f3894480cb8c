package io.zab.protocol;

import io.zab.wire.CodecException;
import io.zab.wire.Message;
import io.zab.wire.MessageCodec;

/**
 * Issue 10 item 1: every message a core sends ({@link Action.Send}: proposal batches, DIFF streams, forwarded writes,
 * everything) fits the transport's frame. The protocol tests' harness and the testkit's simulator both check each
 * send with it; the runtime does not need it (its codec refuses such a frame). Immutable.
 */
public final class FrameCheck {
  private final MessageCodec codec;

  /**
   * A check against frames of {@code maxFrameBytes}.
   *
   * @param maxFrameBytes the transport's frame cap
   */
  public FrameCheck(int maxFrameBytes) {
    this.codec = new MessageCodec(maxFrameBytes);
  }

  /**
   * Whether {@code message} fits a frame.
   *
   * @param message a message a core sends
   * @return what is wrong if its encoded body exceeds the frame, else null
   */
  public String problem(Message message) {
    try {
      codec.encodedSize(message);
      return null;
    } catch (CodecException e) {
      return "a " + message.getClass().getSimpleName() + " that does not fit a frame: " + e.getMessage();
    }
  }
}
