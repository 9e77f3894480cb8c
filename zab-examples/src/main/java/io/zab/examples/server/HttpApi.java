package io.zab.examples.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.zab.examples.json.Json;
import io.zab.examples.kv.Command;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP/JSON API of one node. Every route answers with a JSON object; writes work on any node (a
 * follower's node forwards them to the leader through zab).
 *
 * <pre>
 * GET    /status                         role, leader, epoch, zxids, state digest
 * GET    /kv/{key}[?consistent=true]     local read (may be stale, S9), or read after a sync barrier
 * GET    /kv?prefix=p[&amp;consistent=true] every key starting with p and its value ("entries"), and "count"
 * PUT    /kv/{key}          body: value  write
 * DELETE /kv/{key}                       delete
 * POST   /cas/{key}   {"expected":s|null,"value":s}   compare-and-set (expected null: key must be absent)
 * POST   /session     {"timeoutMs":n}    open a session
 * GET    /session/{id}                   local view of a session
 * POST   /session/{id}/heartbeat         keep it alive (batched into one txn per node per interval)
 * DELETE /session/{id}                   close it (its locks go to their next waiters)
 * GET    /lock/{name}                    holder, fencing token, waiters
 * POST   /lock/{name}?session=id&amp;waitMs=n   acquire: waitMs=0 tries once, otherwise long-polls in FIFO order
 * DELETE /lock/{name}?session=id         release
 * GET    /members[?consistent=true]      the cluster configuration: version, leader, members with role and address
 * PUT    /members/{id}  {"address":"h:p", "role":"VOTER"|"OBSERVER", "version":n, ["replacing":id,]
 *                       ["catchUpTimeoutMs":n]}   add a member or change its role or address (compare-and-set
 *                                        on version); replacing: remove that member in the same change
 * DELETE /members/{id}?version=n         remove a member (compare-and-set on version)
 * POST   /leader      {"id":n[,"timeoutMs":n]}   move leadership to voter n
 * </pre>
 */
final class HttpApi implements HttpHandler {
  private static final Logger log = LoggerFactory.getLogger(HttpApi.class);
  static final long MIN_SESSION_TIMEOUT_MS = 500;
  static final long MAX_WAIT_MS = 300_000;

  static final Duration DEFAULT_CATCH_UP = Duration.ofMinutes(1);
  static final Duration DEFAULT_TRANSFER_TIMEOUT = Duration.ofSeconds(10);

  private final KvService service;
  private final MembershipService membership;
  private final SessionHeartbeats heartbeats;
  private final Supplier<Map<String, Object>> status;
  private final Executor responder;

  /** @param responder writes replies: never the node's apply thread, where zab completes its futures */
  HttpApi(KvService service, SessionHeartbeats heartbeats, Supplier<Map<String, Object>> status, Executor responder) {
    this.service = service;
    this.membership = new MembershipService(service::log);
    this.heartbeats = heartbeats;
    this.status = status;
    this.responder = responder;
  }

  @Override
  public void handle(HttpExchange exchange) {
    CompletableFuture<Reply> reply;
    try {
      reply = route(exchange);
    } catch (RuntimeException | IOException e) {
      reply = CompletableFuture.completedFuture(Replies.of(e));
    }
    reply.whenCompleteAsync((r, e) -> send(exchange, e != null ? Replies.of(e) : r), responder);
  }

  private CompletableFuture<Reply> route(HttpExchange ex) throws IOException {
    String method = ex.getRequestMethod();
    List<String> path = segments(ex.getRequestURI().getRawPath());
    Map<String, String> query = query(ex.getRequestURI().getRawQuery());
    String head = path.isEmpty() ? "" : path.get(0);
    String arg = path.size() > 1 ? path.get(1) : null;
    switch (head + " " + method + " " + path.size()) {
      case "status GET 1":
        return done(new Reply(200, status.get()));
      case "kv GET 2":
        return service.get(arg, Boolean.parseBoolean(query.get("consistent"))).thenApply(v -> v
            .map(e -> Reply.ok("key", arg, "value", e.value(), "version", e.version()))
            .orElse(Reply.of(404, "key", arg, "error", "no such key")));
      case "kv GET 1": {
        String prefix = query.getOrDefault("prefix", "");
        return service.list(prefix, Boolean.parseBoolean(query.get("consistent"))).thenApply(entries -> {
          Map<String, Object> values = new LinkedHashMap<>();
          entries.forEach((k, e) -> values.put(k, e.value()));
          return Reply.ok("prefix", prefix, "count", (long) values.size(), "entries", values);
        });
      }
      case "kv PUT 2":
        return outcome(new Command.Put(arg, body(ex)));
      case "kv DELETE 2":
        return outcome(new Command.Delete(arg));
      case "cas POST 2": {
        Map<String, Object> json = Json.parseObject(body(ex));
        Object value = json.get("value");
        Object expected = json.get("expected");
        if (!(value instanceof String) || (expected != null && !(expected instanceof String))) {
          throw new IllegalArgumentException("cas body must be {\"expected\": string or null, \"value\": string}");
        }
        return outcome(new Command.CompareAndSet(arg, (String) expected, (String) value));
      }
      case "session POST 1": {
        String b = body(ex);
        Object t = b.isBlank() ? 10_000L : Json.parseObject(b).getOrDefault("timeoutMs", 10_000L);
        long timeout = t instanceof Long l ? l : -1;
        if (timeout < MIN_SESSION_TIMEOUT_MS) {
          throw new IllegalArgumentException("timeoutMs must be an integer >= " + MIN_SESSION_TIMEOUT_MS + ", got " + t);
        }
        return outcome(new Command.OpenSession(timeout));
      }
      case "session GET 2": {
        long id = number("session id", arg);
        return done(service.stateMachine().session(id)
            .map(s -> Reply.ok("session", id, "timeoutMs", s.timeoutMillis(),
                "idleMs", service.stateMachine().sessionClockMillis() - s.lastSeenMillis()))
            .orElse(Reply.of(404, "session", id, "error", "no such session")));
      }
      case "session POST 3": {
        if (!path.get(2).equals("heartbeat")) {
          break;
        }
        long id = number("session id", arg);
        return heartbeats.heartbeat(id).thenApply(alive -> alive
            ? Reply.ok("session", id, "alive", true)
            : Reply.of(404, "session", id, "alive", false, "error", "session expired or closed"));
      }
      case "session DELETE 2":
        return outcome(new Command.CloseSession(number("session id", arg)));
      case "lock GET 2":
        return done(service.stateMachine().lock(arg)
            .map(v -> Reply.ok("lock", arg, "holder", v.holder(), "fencingToken", v.fencingToken(),
                "waiters", v.waiters()))
            .orElse(Reply.ok("lock", arg, "holder", 0L, "waiters", List.of())));
      case "lock POST 2": {
        long session = number("session", query.get("session"));
        long waitMs = query.containsKey("waitMs") ? number("waitMs", query.get("waitMs")) : 0;
        if (waitMs < 0 || waitMs > MAX_WAIT_MS) {
          throw new IllegalArgumentException("waitMs must be in [0, " + MAX_WAIT_MS + "], got " + waitMs);
        }
        return service.acquire(arg, session, Duration.ofMillis(waitMs)).thenApply(Replies::of);
      }
      case "lock DELETE 2":
        return outcome(new Command.Release(arg, number("session", query.get("session"))));
      case "members GET 1":
        return Boolean.parseBoolean(query.get("consistent"))
            ? service.barrier().thenApply(ignored -> new Reply(200, membership.describe()))
            : done(new Reply(200, membership.describe()));
      case "members PUT 2": {
        Map<String, Object> json = Json.parseObject(body(ex));
        Object role = json.getOrDefault("role", "VOTER");
        if (!"VOTER".equals(role) && !"OBSERVER".equals(role)) {
          throw new IllegalArgumentException("role must be \"VOTER\" or \"OBSERVER\", got " + role);
        }
        Object replacing = json.get("replacing");
        return membership.put(number("server id", arg), text(json, "address"), "OBSERVER".equals(role),
            integer(json, "version", null), replacing == null ? OptionalLong.empty()
                : OptionalLong.of(integer(json, "replacing", null)),
            Duration.ofMillis(integer(json, "catchUpTimeoutMs", DEFAULT_CATCH_UP.toMillis())));
      }
      case "members DELETE 2":
        return membership.remove(number("server id", arg), number("version", query.get("version")));
      case "leader POST 1": {
        Map<String, Object> json = Json.parseObject(body(ex));
        return membership.transferLeadership(integer(json, "id", null),
            Duration.ofMillis(integer(json, "timeoutMs", DEFAULT_TRANSFER_TIMEOUT.toMillis())));
      }
      default:
        break;
    }
    return done(Reply.error(404, "no route for " + method + " " + ex.getRequestURI().getPath()));
  }

  private CompletableFuture<Reply> outcome(Command command) {
    return service.execute(command).thenApply(Replies::of);
  }

  private static CompletableFuture<Reply> done(Reply r) {
    return CompletableFuture.completedFuture(r);
  }

  private static long number(String what, String text) {
    if (text == null) {
      throw new IllegalArgumentException("missing " + what);
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + " must be an integer, got '" + text + "'");
    }
  }

  /** Field {@code name} of a JSON body as an integer; {@code fallback} if absent (null: required). */
  private static long integer(Map<String, Object> json, String name, Long fallback) {
    Object v = json.get(name);
    if (v == null && fallback != null) {
      return fallback;
    }
    if (!(v instanceof Long l)) {
      String hint = "version".equals(name) ? ": the version of the configuration the change is derived from"
          + " (GET /members)" : "";
      throw new IllegalArgumentException("\"" + name + "\" must be an integer" + (v == null ? " (missing)"
          : ", got " + v) + hint);
    }
    return l;
  }

  private static String text(Map<String, Object> json, String name) {
    Object v = json.get(name);
    if (!(v instanceof String s)) {
      throw new IllegalArgumentException("\"" + name + "\" must be a string" + (v == null ? " (missing)"
          : ", got " + v));
    }
    return s;
  }

  private static String body(HttpExchange ex) throws IOException {
    return new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
  }

  static List<String> segments(String rawPath) {
    return Arrays.stream(rawPath.split("/"))
        .filter(s -> !s.isEmpty())
        .map(s -> URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8))
        .toList();
  }

  static Map<String, String> query(String rawQuery) {
    Map<String, String> q = new HashMap<>();
    if (rawQuery == null) {
      return q;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      q.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
    return q;
  }

  private static void send(HttpExchange ex, Reply reply) {
    byte[] bytes = Json.write(reply.body()).getBytes(StandardCharsets.UTF_8);
    try (ex; OutputStream out = ex.getResponseBody()) {
      ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
      ex.sendResponseHeaders(reply.status(), bytes.length);
      out.write(bytes);
    } catch (IOException e) {
      log.debug("client went away before the reply: {}", e.toString());
    }
  }
}
