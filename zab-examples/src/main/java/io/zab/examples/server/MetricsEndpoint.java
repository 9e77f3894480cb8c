package io.zab.examples.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics}: the node's meters (zab's, through Micrometer's Prometheus registry) in Prometheus' text
 * exposition format, for a Prometheus server to scrape. Any other method gets 405.
 *
 * <pre>
 * curl -s http://127.0.0.1:8081/metrics | grep zab_commit_latency_seconds_count
 * zab_commit_latency_seconds_count{server="1"} 1042
 * </pre>
 */
final class MetricsEndpoint implements HttpHandler {
  private static final Logger log = LoggerFactory.getLogger(MetricsEndpoint.class);
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final Supplier<String> scrape;

  MetricsEndpoint(Supplier<String> scrape) {
    this.scrape = scrape;
  }

  @Override
  public void handle(HttpExchange ex) {
    try (ex; OutputStream out = ex.getResponseBody()) {
      if (!ex.getRequestMethod().equals("GET")) {
        ex.getResponseHeaders().set("Allow", "GET");
        ex.sendResponseHeaders(405, -1);
        return;
      }
      byte[] body = scrape.get().getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
      ex.sendResponseHeaders(200, body.length);
      out.write(body);
    } catch (IOException e) {
      log.debug("client went away before the metrics: {}", e.toString());
    }
  }
}
