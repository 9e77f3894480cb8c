package io.zab.examples.server;

import java.util.LinkedHashMap;
import java.util.Map;

/** An HTTP status and a JSON object body. */
record Reply(int status, Map<String, Object> body) {

  static Reply ok(Object... keyValues) {
    return of(200, keyValues);
  }

  static Reply of(int status, Object... keyValues) {
    Map<String, Object> body = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      body.put((String) keyValues[i], keyValues[i + 1]);
    }
    return new Reply(status, body);
  }

  static Reply error(int status, String message) {
    return of(status, "error", message);
  }
}
