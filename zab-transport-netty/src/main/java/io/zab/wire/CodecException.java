package io.zab.wire;

// TEMPORARY stand-in until the real codec lands on main (branch codec). Deleted at merge.
public class CodecException extends RuntimeException {
  public CodecException(String message) {
    super(message);
  }
}
