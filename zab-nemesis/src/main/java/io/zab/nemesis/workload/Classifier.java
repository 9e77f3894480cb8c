package io.zab.nemesis.workload;

import io.zab.examples.client.KvClient;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;

/**
 * Turns a node's reply (or the failure to get one) into an {@link Outcome}, using the example's typed error
 * replies: 503/429 with {@code "notApplied": true} mean zab refused the request before proposing it;
 * 504 and anything unexpected leave the outcome unknown. A request that never connected was never sent.
 */
public final class Classifier {
  private Classifier() {}

  /** An outcome and, for reads and mismatching compare-and-sets, the value seen. */
  public record Classified(Outcome outcome, String observed) {}

  public static Classified reply(OpKind kind, KvClient.Response r) {
    int s = r.status();
    if (s == 200) {
      return new Classified(Outcome.OK, kind == OpKind.READ ? r.text("value") : null);
    }
    if (s == 404 && kind == OpKind.READ && r.body().containsKey("key")) {
      return new Classified(Outcome.OK, null); // the key is absent
    }
    if (s == 409 && kind == OpKind.CAS && r.body().containsKey("current")) {
      return new Classified(Outcome.MISMATCH, r.text("current"));
    }
    if ((s == 503 || s == 429) && r.flag("notApplied")) {
      return new Classified(Outcome.FAIL, null);
    }
    if (s == 400 || s == 413) {
      return new Classified(Outcome.FAIL, null); // refused as malformed: never proposed
    }
    return new Classified(Outcome.UNKNOWN, null);
  }

  /** A request that threw: certainly not applied only if the connection was never made. */
  public static Classified failure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException || t instanceof HttpConnectTimeoutException) {
        return new Classified(Outcome.FAIL, null);
      }
    }
    return new Classified(Outcome.UNKNOWN, null);
  }
}
