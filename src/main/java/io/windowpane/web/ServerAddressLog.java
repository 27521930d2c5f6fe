package io.windowpane.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Says where the application serves once its web server listens: with {@code --server.port=0} the port is chosen
 * then, and Spring Boot's own line about it is below windowpane's log level.
 */
@Component
class ServerAddressLog {

  private static final Logger LOG = LoggerFactory.getLogger(ServerAddressLog.class);

  @EventListener
  void onWebServer(WebServerInitializedEvent event) {
    int port = event.getWebServer().getPort();
    if (event.getApplicationContext().getServerNamespace() == null) {
      LOG.info("Pane diagram on http://localhost:{}/ (and /actuator, unless management.server.port is set)", port);
    } else {
      LOG.info("Actuator ({}) on http://localhost:{}/actuator", event.getApplicationContext().getServerNamespace(),
          port);
    }
  }
}
