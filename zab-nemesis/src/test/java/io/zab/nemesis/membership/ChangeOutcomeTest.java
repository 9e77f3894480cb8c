package io.zab.nemesis.membership;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.examples.client.KvClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChangeOutcomeTest {
  private static KvClient.Response r(int status, Map<String, Object> body) {
    return new KvClient.Response(status, body);
  }

  @Test
  void aLostRaceOrAChangeUnderWayAsksForAFreshRead() {
    assertThat(ChangeOutcome.reply(r(409, Map.of("type", "StaleConfigurationException", "currentVersion", 5L,
        "notApplied", true)))).isEqualTo(ChangeOutcome.STALE);
    assertThat(ChangeOutcome.reply(r(409, Map.of("type", "ChangeInProgressException", "notApplied", true))))
        .isEqualTo(ChangeOutcome.STALE);
  }

  @Test
  void refusalsBeforeProposingAreDefiniteFailuresAndTimeoutsAreUnknown() {
    assertThat(ChangeOutcome.reply(r(200, Map.of("version", 7L)))).isEqualTo(ChangeOutcome.OK);
    assertThat(ChangeOutcome.reply(r(503, Map.of("notApplied", true)))).isEqualTo(ChangeOutcome.FAIL);
    assertThat(ChangeOutcome.reply(r(404, Map.of("id", 2L)))).isEqualTo(ChangeOutcome.FAIL);
    assertThat(ChangeOutcome.reply(r(400, Map.of("error", "bad")))).isEqualTo(ChangeOutcome.FAIL);
    assertThat(ChangeOutcome.reply(r(504, Map.of("type", "CatchUpTimeoutException", "notApplied", false))))
        .isEqualTo(ChangeOutcome.UNKNOWN);
    assertThat(ChangeOutcome.reply(r(504, Map.of("error", "timed out")))).isEqualTo(ChangeOutcome.UNKNOWN);
    assertThat(ChangeOutcome.reply(r(500, Map.of()))).isEqualTo(ChangeOutcome.UNKNOWN);
  }

  @Test
  void aCallThatNeverConnectedFailedAndOneCutShortIsUnknown() {
    assertThat(ChangeOutcome.failure(new UncheckedIOException(new ConnectException("refused"))))
        .isEqualTo(ChangeOutcome.FAIL);
    assertThat(ChangeOutcome.failure(new UncheckedIOException(new HttpTimeoutException("late"))))
        .isEqualTo(ChangeOutcome.UNKNOWN);
    assertThat(ChangeOutcome.failure(new UncheckedIOException(new IOException("reset"))))
        .isEqualTo(ChangeOutcome.UNKNOWN);
  }
}
