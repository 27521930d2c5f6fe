package io.windowpane.web;

import io.windowpane.config.AggProperties;
import io.windowpane.job.JobEndedEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Writes the pane diagram as a standalone HTML file ({@code agg.output.diagram-path}) when the job ends, for a
 * batch user or a CI job to keep. Written beside its path and moved into place, so a reader never sees half a page.
 */
@Component
class DiagramFile {

  private static final Logger LOG = LoggerFactory.getLogger(DiagramFile.class);

  private final AggProperties properties;
  private final DiagramPage page;

  DiagramFile(AggProperties properties, DiagramPage page) {
    this.properties = properties;
    this.page = page;
  }

  @EventListener
  @Order(2)
  void onJobEnded(JobEndedEvent ended) throws IOException {
    String path = properties.output().diagramPath();
    if (path.isBlank()) {
      return;
    }
    Path file = Path.of(path).toAbsolutePath();
    Files.createDirectories(file.getParent());
    Path staged = file.resolveSibling(file.getFileName() + ".in-progress");
    Files.writeString(staged, page.standaloneHtml(ended.status(), ended.failure()), StandardCharsets.UTF_8);
    Files.move(staged, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    LOG.info("Pane diagram written to {}", file);
  }
}
