package io.zab.storage;

import java.io.IOException;

/**
 * The log hit an I/O error while writing or syncing and refuses all further writes: after a failed fsync the
 * kernel may have dropped dirty pages, so retrying and reporting success could acknowledge lost data. The
 * original error is the {@linkplain #getCause() cause}.
 */
public final class LogFailedException extends IOException {
  public LogFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
