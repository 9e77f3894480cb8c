package io.zab.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.NoQuorumException;
import io.zab.OutcomeUnknownException;
import io.zab.ResultUnavailableException;
import io.zab.TooLargeException;
import io.zab.Zxid;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class ZabErrorsTest {

  @Test
  void notAppliedErrorsAreRetriedAndOthersAreNot() {
    assertThat(ZabErrors.retryable(new NoQuorumException())).isTrue();
    assertThat(ZabErrors.retryable(new TooLargeException(10, 5))).isFalse(); // would fail again
    assertThat(ZabErrors.retryable(new OutcomeUnknownException(2))).isFalse(); // might apply twice
    assertThat(ZabErrors.retryable(new ResultUnavailableException(1, Zxid.of(1, 5), Zxid.of(1, 9)))).isFalse();
  }

  @Test
  void zabErrorsBecomeStatusesThatSayWhetherTheWriteHappened() {
    Reply noQuorum = Replies.of(new CompletionException(new NoQuorumException()));
    assertThat(noQuorum.status()).isEqualTo(503);
    assertThat(noQuorum.body()).containsEntry("type", "NoQuorumException").containsEntry("notApplied", true);
    Reply unknown = Replies.of(new OutcomeUnknownException(2));
    assertThat(unknown.status()).isEqualTo(504);
    assertThat(unknown.body()).containsEntry("notApplied", false);
    Reply noOutcome = Replies.of(new CompletionException(new ResultUnavailableException(1, Zxid.of(1, 5),
        Zxid.of(1, 9))));
    assertThat(noOutcome.status()).as("committed, outcome not known here: read back").isEqualTo(504);
    assertThat(noOutcome.body()).containsEntry("type", "ResultUnavailableException")
        .containsEntry("notApplied", false);
    assertThat(Replies.of(new TooLargeException(10, 5)).status()).isEqualTo(413);
    assertThat(Replies.of(new TimeoutException()).status()).isEqualTo(504);
    assertThat(Replies.of(new IllegalArgumentException("bad key")).body()).containsEntry("error", "bad key");
  }
}
