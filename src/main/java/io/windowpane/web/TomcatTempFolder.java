package io.windowpane.web;

import io.windowpane.launch.TempFolders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Gives the embedded Tomcat its base and document folders in one {@link TempFolders} folder, unless
 * {@code server.tomcat.basedir} is set. Why: Spring Boot's own ({@code tomcat.<port>.*}, {@code tomcat-docbase.*}
 * in the temporary folder) are removed only when the JVM exits normally, so every SIGKILL of a crash-safe job left
 * two behind; a folder named after its process is removed by the next start instead.
 */
@Component
class TomcatTempFolder implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

  private final Environment environment;

  TomcatTempFolder(Environment environment) {
    this.environment = environment;
  }

  @Override
  public void customize(TomcatServletWebServerFactory factory) {
    if (environment.containsProperty("server.tomcat.basedir")) {
      return;
    }
    try {
      Path folder = TempFolders.createRemovedAtExit("windowpane-tomcat-");
      factory.setBaseDirectory(Files.createDirectories(folder.resolve("base")).toFile());
      factory.setDocumentRoot(Files.createDirectories(folder.resolve("docbase")).toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the web server's temporary folder", e);
    }
  }

  /** After Spring Boot's own customizers, which apply {@code server.tomcat.*}. */
  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }
}
