package io.windowpane.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.windowpane.testing.StartupFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Every configuration value that can be wrong stops the application at startup, before any work, with exit code 2
 * and a failure analysis that names the property and the problem.
 */
class StartupFailureTest {

  @TempDir static Path dir;

  static Stream<Arguments> invalidConfigurations() throws IOException {
    Path scenario = Files.writeString(dir.resolve("unknown-key.yml"),
        "base-time: 2026-01-08T10:00:00Z\nsteps:\n  - watermark: 0\n  - add: [{user_id: u1, amount: 1, t: 2, x: 0}]\n");
    Path blocker = Files.writeString(dir.resolve("a-file"), "");
    Path okScenario = Files.writeString(dir.resolve("ok.yml"),
        "base-time: 2026-01-08T10:00:00Z\nsteps:\n  - watermark: end\n");
    return Stream.of(
        Arguments.of("missing input file", new String[] {"--agg.mode=batch", "--agg.batch.input=" + dir
            + "/missing.jsonl"}, "agg.batch.input", "no file matches"),
        Arguments.of("glob without matches", new String[] {"--agg.mode=batch", "--agg.batch.input=" + dir
            + "/*.nothing"}, "agg.batch.input", "no file matches"),
        Arguments.of("missing classpath resource", new String[] {"--agg.mode=batch",
            "--agg.batch.input=classpath:nope.jsonl"}, "agg.batch.input", "no such classpath resource"),
        Arguments.of("missing scenario", new String[] {"--agg.stream.scenario=" + dir + "/none.yml"},
            "agg.stream.scenario", "file not found"),
        Arguments.of("scenario with an unknown key", new String[] {"--agg.stream.scenario=" + scenario},
            "agg.stream.scenario", "step 2 (add) element 1: unknown key 'x'"),
        Arguments.of("unwritable output", new String[] {"--agg.output.path=" + blocker + "/out.jsonl"},
            "agg.output.path", "cannot write"),
        Arguments.of("dead letters into the result file", new String[] {"--agg.output.path=" + dir + "/o.jsonl",
            "--agg.output.dead-letter-path=" + dir + "/o.jsonl"}, "agg.output.dead-letter-path", "must differ"),
        Arguments.of("output over the input", new String[] {"--agg.mode=batch", "--agg.batch.input=" + blocker,
            "--agg.output.path=" + blocker}, "agg.output.path", "is an input of this job"),
        Arguments.of("dead letters over the scenario", new String[] {"--agg.stream.scenario=" + dir
            + "/../" + dir.getFileName() + "/ok.yml", "--agg.output.dead-letter-path=" + okScenario},
            "agg.output.dead-letter-path", "is an input of this job"),
        Arguments.of("unknown runner option", new String[] {"--agg.runner-args=--noSuchOption=1"},
            "agg.runner-args", "noSuchOption"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidConfigurations")
  void stopsAtStartupNamingThePropertyAndProblem(String description, String[] args, String property,
      String problem) {
    FailureAnalysis analysis = StartupFailure.assertRefused(args, property, problem);
    assertThat(analysis.getAction()).contains(property);
  }
}
