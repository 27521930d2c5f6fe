package io.windowpane.web;

import io.windowpane.job.JobEndedEvent;
import io.windowpane.job.PipelineFactory;
import io.windowpane.sink.LineTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * For a job whose workers could not report to the pane diagram (a remote cluster), reads the result rows back from
 * its output files when it has ended, so the page and its file still show the windows and their totals.
 */
@Component
class ResultsReadBack {

  private static final Logger LOG = LoggerFactory.getLogger(ResultsReadBack.class);

  private final PipelineFactory factory;
  private final PaneJournal journal;

  ResultsReadBack(PipelineFactory factory, PaneJournal journal) {
    this.factory = factory;
    this.journal = journal;
  }

  @EventListener
  @Order(1)
  void onJobEnded(JobEndedEvent ended) {
    LineTarget results = factory.outputs().results();
    if (factory.reportsToPage() || results.path() == null) {
      return;
    }
    try {
      List<String> lines = new ArrayList<>();
      for (Path file : results.writtenFiles()) {
        lines.addAll(Files.readAllLines(file));
      }
      journal.readBack(lines);
    } catch (IOException | RuntimeException e) {
      LOG.warn("The pane diagram could not read the results back from {}: {}", results, e.toString());
    }
  }
}
