package io.windowpane.sink;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.UUID;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The address the pipeline posts its records to ({@link ReportToPage}): this application's own
 * web server on loopback, under a path with a token made for this run, so nothing else feeds the diagram by
 * accident. Empty until the web server has a port, and when there is none.
 */
@Component
public class PageFeed {

  /** The feed's path on the web server, followed by the token. */
  public static final String PATH = "/internal/page-feed/";

  private final String token = UUID.randomUUID().toString();
  private volatile int port = -1;

  @EventListener
  void onWebServer(WebServerInitializedEvent event) {
    if (event.getApplicationContext().getServerNamespace() == null) {
      port = event.getWebServer().getPort();
    }
  }

  /** The feed's URL, or empty when there is no web server to take it. */
  public String url() {
    return port > 0 ? "http://127.0.0.1:" + port + PATH + token : "";
  }

  /** Whether a post carries this run's token (compared in constant time: the token is what lets a post in). */
  public boolean accepts(String token) {
    return token != null && MessageDigest.isEqual(this.token.getBytes(StandardCharsets.US_ASCII),
        token.getBytes(StandardCharsets.US_ASCII));
  }
}
