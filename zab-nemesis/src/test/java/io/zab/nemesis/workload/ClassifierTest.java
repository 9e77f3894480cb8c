package io.zab.nemesis.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.examples.client.KvClient;
import io.zab.nemesis.workload.Classifier.Classified;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClassifierTest {
  private static KvClient.Response reply(int status, Object... kv) {
    Map<String, Object> body = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      body.put((String) kv[i], kv[i + 1]);
    }
    return new KvClient.Response(status, body);
  }

  @Test
  void answersWithAResultAreOk() {
    assertThat(Classifier.reply(OpKind.READ, reply(200, "key", "k", "value", "v", "version", 5L)))
        .isEqualTo(new Classified(Outcome.OK, "v"));
    assertThat(Classifier.reply(OpKind.READ, reply(404, "key", "k", "error", "no such key")))
        .isEqualTo(new Classified(Outcome.OK, null));
    assertThat(Classifier.reply(OpKind.PUT, reply(200, "key", "k", "version", 5L))).isEqualTo(new Classified(Outcome.OK, null));
    assertThat(Classifier.reply(OpKind.CAS, reply(200, "key", "k", "swapped", true))).isEqualTo(new Classified(Outcome.OK, null));
  }

  @Test
  void aCasThatFoundAnotherValueReportsIt() {
    assertThat(Classifier.reply(OpKind.CAS, reply(409, "key", "k", "swapped", false, "current", "c7.3")))
        .isEqualTo(new Classified(Outcome.MISMATCH, "c7.3"));
    Map<String, Object> absent = new HashMap<>(Map.of("key", "k", "swapped", false));
    absent.put("current", null);
    assertThat(Classifier.reply(OpKind.CAS, new KvClient.Response(409, absent)))
        .isEqualTo(new Classified(Outcome.MISMATCH, null));
  }

  @Test
  void typedRefusalsAreFailuresOnlyWhenZabSaysNotApplied() {
    assertThat(Classifier.reply(OpKind.PUT, reply(503, "type", "NotLeaderException", "notApplied", true)).outcome())
        .isEqualTo(Outcome.FAIL);
    assertThat(Classifier.reply(OpKind.PUT, reply(429, "type", "OverloadedException", "notApplied", true)).outcome())
        .isEqualTo(Outcome.FAIL);
    assertThat(Classifier.reply(OpKind.PUT, reply(503, "type", "ClosedException", "notApplied", false)).outcome())
        .isEqualTo(Outcome.UNKNOWN);
    assertThat(Classifier.reply(OpKind.PUT, reply(504, "type", "OutcomeUnknownException", "notApplied", false))
        .outcome()).isEqualTo(Outcome.UNKNOWN);
    assertThat(Classifier.reply(OpKind.CAS, reply(504, "type", "ResultUnavailableException", "notApplied", false))
        .outcome()).as("committed, but whether it swapped is not known").isEqualTo(Outcome.UNKNOWN);
    assertThat(Classifier.reply(OpKind.PUT, reply(504, "error", "timed out")).outcome()).isEqualTo(Outcome.UNKNOWN);
    assertThat(Classifier.reply(OpKind.PUT, reply(500, "error", "boom")).outcome()).isEqualTo(Outcome.UNKNOWN);
    assertThat(Classifier.reply(OpKind.READ, reply(404, "error", "no route")).outcome()).isEqualTo(Outcome.UNKNOWN);
  }

  @Test
  void onlyARequestThatNeverConnectedIsCertainlyNotApplied() {
    assertThat(Classifier.failure(new UncheckedIOException(new ConnectException("Connection refused"))).outcome())
        .isEqualTo(Outcome.FAIL);
    assertThat(Classifier.failure(new UncheckedIOException(new HttpConnectTimeoutException("connect timed out")))
        .outcome()).isEqualTo(Outcome.FAIL);
    assertThat(Classifier.failure(new UncheckedIOException(new HttpTimeoutException("request timed out"))).outcome())
        .isEqualTo(Outcome.UNKNOWN);
    assertThat(Classifier.failure(new UncheckedIOException(new IOException("connection reset"))).outcome())
        .isEqualTo(Outcome.UNKNOWN);
  }
}
