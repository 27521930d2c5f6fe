package io.windowpane;

import static org.assertj.core.api.Assertions.assertThat;

import io.windowpane.testing.AppProcess;
import io.windowpane.testing.JsonLines;
import io.windowpane.testing.Rows;
import io.windowpane.testing.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The application as a process: stdout purity, exit codes, and the working directory's config/application.yml. */
class ApplicationProcessTest {

  @TempDir Path workDir;

  @Test
  void defaultJobPrintsOnlyTheSixResultRowsOnStdoutAndExitsZero() {
    AppProcess.Result result = AppProcess.run(workDir, "--agg.exit-when-done=true");
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stdout().lines()).allMatch(line -> line.startsWith("{\"user_id\":"));
    assertThat(JsonLines.rows(result.stdout())).containsExactlyInAnyOrder(Rows.seedScenarioAccumulating());
    assertThat(result.stderr()).contains("Job DONE");
  }

  @Test
  void configApplicationYmlInTheWorkingDirectoryOverridesTheDefaults() throws IOException {
    Files.createDirectories(workDir.resolve("config"));
    Files.writeString(workDir.resolve("config/application.yml"), """
        agg:
          trigger:
            accumulation: discarding
          exit-when-done: true
        """);
    AppProcess.Result result = AppProcess.run(workDir);
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(JsonLines.rows(result.stdout())).containsExactlyInAnyOrder(Rows.seedScenarioDiscarding());
  }

  @Test
  void commandLineFlagsOverrideConfigApplicationYml() throws IOException {
    Files.createDirectories(workDir.resolve("config"));
    Files.writeString(workDir.resolve("config/application.yml"), "agg:\n  mode: batch\n  exit-when-done: true\n");
    AppProcess.Result result = AppProcess.run(workDir, "--agg.mode=stream");
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(JsonLines.rows(result.stdout())).containsExactlyInAnyOrder(Rows.seedScenarioAccumulating());
  }

  @Test
  void invalidWindowSizeExitsWithCodeTwoNamingTheProperty() {
    AppProcess.Result result = AppProcess.run(workDir, "--agg.window.size=0s", "--agg.exit-when-done=true");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stdout()).isEmpty();
    assertThat(result.stderr()).contains("APPLICATION FAILED TO START", "agg.window.size", "must be greater than 0")
        .doesNotContain("\tat org.springframework");
  }

  @Test
  void malformedScenarioExitsWithCodeTwoNamingTheStep() throws IOException {
    Path scenario = workDir.resolve("bad.yml");
    Files.writeString(scenario, "base-time: 2026-01-08T10:00:00Z\nsteps:\n  - watermark: 61\n  - watermark: 30\n");
    AppProcess.Result result = AppProcess.run(workDir, "--agg.stream.scenario=" + scenario,
        "--agg.exit-when-done=true");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stderr()).contains("agg.stream.scenario", "step 2 (watermark) goes backwards")
        .doesNotContain("\tat org.springframework");
  }

  @Test
  void failedPipelineExitsWithCodeOne() throws IOException {
    Path corrupt = TestFiles.truncatedGzip(workDir.resolve("events.jsonl.gz"));
    AppProcess.Result result = AppProcess.run(workDir, "--agg.mode=batch", "--agg.batch.input=" + corrupt,
        "--agg.exit-when-done=true");
    assertThat(result.exitCode()).as(result.stderr()).isEqualTo(1);
    assertThat(result.stderr()).contains("Job failed", "Job FAILED");
  }
}
