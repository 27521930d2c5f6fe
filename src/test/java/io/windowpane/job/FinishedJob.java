package io.windowpane.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.windowpane.WindowpaneApplication;
import io.windowpane.metrics.JobFigures;
import io.windowpane.metrics.JobMetrics;
import io.windowpane.pipeline.ResultRow;
import io.windowpane.testing.JsonLines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A job run to its end in this JVM, on a runner, with its rows written to {@code out}: its row lines, Beam figures
 * and dead letters. Fails the test unless the job ended DONE.
 */
record FinishedJob(List<String> lines, JobFigures figures, List<String> deadLetters) {

  static FinishedJob run(String runner, Path out, List<String> args) {
    List<String> all = new ArrayList<>(args);
    all.add("--agg.runner=" + runner);
    all.add("--agg.output.path=" + out);
    try (ConfigurableApplicationContext context = new SpringApplicationBuilder(WindowpaneApplication.class)
        .web(WebApplicationType.NONE).run(all.toArray(String[]::new))) {
      assertThat(context.getBean(JobState.class).status()).as(runner + " job").isEqualTo(JobStatus.DONE);
      Path deadLetters = Path.of(out + ".invalid");
      return new FinishedJob(Files.readAllLines(out), context.getBean(JobMetrics.class).figures(),
          Files.exists(deadLetters) ? Files.readAllLines(deadLetters) : List.of());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The rows, in the tutorial's shape. */
  List<ResultRow> rows() {
    return JsonLines.rows(String.join("\n", lines));
  }
}
