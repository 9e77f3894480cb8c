package io.zab.examples.client;

import io.zab.examples.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A client of one node's HTTP API (see {@code HttpApi} for the routes). Every call returns the HTTP status
 * and the JSON body; a node that cannot be reached (or does not answer in time) raises {@link Unreachable}.
 *
 * <pre>{@code
 * KvClient c = new KvClient("http://127.0.0.1:8081");
 * c.put("greeting", "hello");
 * long session = c.openSession(5000).number("session");
 * KvClient.Response lock = c.acquire("jobs", session, 30_000); // long-poll up to 30 s
 * long token = lock.number("fencingToken");
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class KvClient {

  /** An HTTP status and the JSON object the node answered with. */
  public record Response(int status, Map<String, Object> body) {
    public boolean ok() {
      return status == 200;
    }

    public String text(String key) {
      Object v = body.get(key);
      return v == null ? null : v.toString();
    }

    public long number(String key) {
      Object v = body.get(key);
      if (!(v instanceof Long l)) {
        throw new IllegalStateException("expected an integer '" + key + "' in " + this);
      }
      return l;
    }

    public boolean flag(String key) {
      return Boolean.TRUE.equals(body.get(key));
    }

    @Override
    public String toString() {
      return status + " " + Json.write(body);
    }
  }

  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);
  /** What a membership change may take beyond its bounds on the node (its txns commit, an election). */
  private static final Duration ADMIN_ALLOWANCE = Duration.ofSeconds(20);

  private final String base;
  private final HttpClient http;
  private final Duration timeout;

  public KvClient(String baseUrl) {
    this(baseUrl, DEFAULT_TIMEOUT);
  }

  /** A client whose requests time out after {@code timeout} (a lock acquire: after its wait plus this). */
  public KvClient(String baseUrl, Duration timeout) {
    this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    this.timeout = timeout;
  }

  public String baseUrl() {
    return base;
  }

  public Response status() {
    return call("GET", "/status", null);
  }

  public Response get(String key, boolean consistent) {
    return call("GET", "/kv/" + enc(key) + (consistent ? "?consistent=true" : ""), null);
  }

  /** Every key starting with {@code prefix} ("" for all) with its value, under "entries"; its size under "count". */
  public Response list(String prefix, boolean consistent) {
    return call("GET", "/kv?prefix=" + enc(prefix) + (consistent ? "&consistent=true" : ""), null);
  }

  public Response put(String key, String value) {
    return call("PUT", "/kv/" + enc(key), value);
  }

  public Response delete(String key) {
    return call("DELETE", "/kv/" + enc(key), null);
  }

  /** Sets {@code key} to {@code value} if it currently equals {@code expected} (null: if absent). */
  public Response cas(String key, String expected, String value) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("expected", expected);
    body.put("value", value);
    return call("POST", "/cas/" + enc(key), Json.write(body));
  }

  public Response openSession(long timeoutMs) {
    return call("POST", "/session", Json.write(Map.of("timeoutMs", timeoutMs)));
  }

  public Response heartbeat(long session) {
    return call("POST", "/session/" + session + "/heartbeat", "");
  }

  public Response closeSession(long session) {
    return call("DELETE", "/session/" + session, null);
  }

  /** Acquires a lock; {@code waitMs} 0 tries once, otherwise the node holds the request up to that long. */
  public Response acquire(String lock, long session, long waitMs) {
    return call("POST", "/lock/" + enc(lock) + "?session=" + session + "&waitMs=" + waitMs, "",
        Duration.ofMillis(waitMs));
  }

  public Response release(String lock, long session) {
    return call("DELETE", "/lock/" + enc(lock) + "?session=" + session, null);
  }

  public Response lock(String lock) {
    return call("GET", "/lock/" + enc(lock), null);
  }

  /** The cluster configuration (version, leader, members); {@code consistent}: after a sync barrier. */
  public Response members(boolean consistent) {
    return call("GET", "/members" + (consistent ? "?consistent=true" : ""), null);
  }

  /**
   * Adds server {@code id} at {@code address} (HOST:PORT) as a voter or an observer, or changes its role or address,
   * if the configuration's version is still {@code version}; {@code replacing} (0: none) is removed in the same
   * change. New voters have {@code catchUpTimeout} to catch up before they count.
   */
  public Response putMember(long id, String address, boolean observer, long version, long replacing,
      Duration catchUpTimeout) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("address", address);
    body.put("role", observer ? "OBSERVER" : "VOTER");
    body.put("version", version);
    if (replacing != 0) {
      body.put("replacing", replacing);
    }
    body.put("catchUpTimeoutMs", catchUpTimeout.toMillis());
    return call("PUT", "/members/" + id, Json.write(body), catchUpTimeout.plus(ADMIN_ALLOWANCE));
  }

  /** Removes server {@code id} if the configuration's version is still {@code version}. */
  public Response removeMember(long id, long version) {
    return call("DELETE", "/members/" + id + "?version=" + version, null, ADMIN_ALLOWANCE);
  }

  /** Moves leadership to voter {@code id}, which has {@code timeout} to catch up. */
  public Response transferLeader(long id, Duration timeout) {
    return call("POST", "/leader", Json.write(Map.of("id", id, "timeoutMs", timeout.toMillis())),
        timeout.plus(ADMIN_ALLOWANCE));
  }

  private Response call(String method, String path, String body) {
    return call(method, path, body, Duration.ZERO);
  }

  /** {@code wait}: how long the node may hold this request on purpose (a lock wait, a catch-up), on top. */
  private Response call(String method, String path, String body, Duration wait) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(timeout.plus(wait))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
        .build();
    HttpResponse<String> r;
    try {
      r = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new Unreachable(method + " " + base + path + ": " + reason(e, timeout), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unreachable("interrupted: " + method + " " + base + path, new IOException(e));
    }
    try {
      return new Response(r.statusCode(), Json.parseObject(r.body()));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(method + " " + base + path + " answered " + r.statusCode()
          + " with a body that is not this service's JSON (another program on that port?): " + e.getMessage(), e);
    }
  }

  private static String reason(IOException e, Duration timeout) {
    if (e instanceof java.net.ConnectException) {
      return "connection refused";
    }
    if (e instanceof java.net.http.HttpConnectTimeoutException) {
      return "no connection within 2 s";
    }
    if (e instanceof java.net.http.HttpTimeoutException) {
      return "no reply within " + timeout.toSeconds() + " s";
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  /** The node could not be reached, or did not answer in time. */
  public static final class Unreachable extends UncheckedIOException {
    private static final long serialVersionUID = 1L;

    Unreachable(String message, IOException cause) {
      super(message, cause);
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
