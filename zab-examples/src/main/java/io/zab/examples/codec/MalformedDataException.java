package io.zab.examples.codec;

import java.io.IOException;

/** Bytes that do not decode: says which field was bad and at which offset of which input. */
public final class MalformedDataException extends IOException {
  public MalformedDataException(String where, String field, long offset, String problem) {
    super(where + ": bad " + field + " at offset " + offset + ": " + problem);
  }
}
