package io.zab.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.NotLeaderException;
import io.zab.OutcomeUnknownException;
import io.zab.TooLargeException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class ZabErrorsTest {

  @Test
  void notAppliedErrorsAreRetriedAndOthersAreNot() {
    assertThat(ZabErrors.retryable(new NotLeaderException(2))).isTrue();
    assertThat(ZabErrors.retryable(new TooLargeException(10, 5))).isFalse(); // would fail again
    assertThat(ZabErrors.retryable(new OutcomeUnknownException(2))).isFalse(); // might apply twice
  }

  @Test
  void zabErrorsBecomeStatusesThatSayWhetherTheWriteHappened() {
    Reply notLeader = Replies.of(new CompletionException(new NotLeaderException(2)));
    assertThat(notLeader.status()).isEqualTo(503);
    assertThat(notLeader.body()).containsEntry("type", "NotLeaderException").containsEntry("notApplied", true);
    Reply unknown = Replies.of(new OutcomeUnknownException(2));
    assertThat(unknown.status()).isEqualTo(504);
    assertThat(unknown.body()).containsEntry("notApplied", false);
    assertThat(Replies.of(new TooLargeException(10, 5)).status()).isEqualTo(413);
    assertThat(Replies.of(new TimeoutException()).status()).isEqualTo(504);
    assertThat(Replies.of(new IllegalArgumentException("bad key")).body()).containsEntry("error", "bad key");
  }
}
