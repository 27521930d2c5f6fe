package io.windowpane.job;

import static io.windowpane.testing.Rows.row;
import static org.assertj.core.api.Assertions.assertThat;

import io.windowpane.WindowpaneApplication;
import io.windowpane.pipeline.ResultRow;
import io.windowpane.testing.JsonLines;
import io.windowpane.testing.Rows;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * {@code agg.output.layout=sharded} (and {@code auto} on Flink at parallelism 2): outputs written by Beam's file
 * sink as shards, with the same rows as the single file, each once.
 */
class ShardedOutputJobTest {

  @TempDir Path dir;

  @Test
  void batchWritesTheShardsAskedForAndRemovesShardsOfAnEarlierRun() throws IOException {
    Path input = Files.writeString(dir.resolve("events.jsonl"), tutorialEvents() + "not json\n{\"user_id\": 1}\n");
    Path out = Files.createDirectories(dir.resolve("out"));
    Files.writeString(out.resolve("results-00004-of-00005.jsonl"), "an earlier run's shard\n");
    Files.writeString(out.resolve("results-00001-of-00003.jsonl"), "overwritten\n");
    Files.writeString(out.resolve("notes-00000-of-00005.jsonl"), "not ours\n");

    run("--agg.mode=batch", "--agg.batch.input=" + input, "--agg.output.path=" + out.resolve("results.jsonl"),
        "--agg.output.layout=sharded", "--agg.output.shards=3");

    assertThat(names(out)).containsExactly(
        "notes-00000-of-00005.jsonl",
        "results-00000-of-00003.jsonl", "results-00000-of-00003.jsonl.invalid",
        "results-00001-of-00003.jsonl", "results-00001-of-00003.jsonl.invalid",
        "results-00002-of-00003.jsonl", "results-00002-of-00003.jsonl.invalid");
    assertThat(rows(out, "results-*.jsonl")).containsExactlyInAnyOrder(Rows.tutorialFinalTotals(true));
    assertThat(lines(out, "results-*.jsonl.invalid")).hasSize(2)
        .anySatisfy(line -> assertThat(line).contains("\"line\":\"not json\""))
        .anySatisfy(line -> assertThat(line).contains("\"line\":\"{\\\"user_id\\\": 1}\""));
  }

  @Test
  void aStreamJobWritesEachPaneOnceInFilesNamedByWindowAndPane() throws IOException {
    Path out = dir.resolve("out");

    run("--agg.output.path=" + out.resolve("rows.jsonl"), "--agg.output.layout=sharded");

    assertThat(rows(out, "rows-*.jsonl")).containsExactlyInAnyOrder(Rows.seedScenarioAccumulating());
    assertThat(names(out)).allMatch(name -> name.matches(
        "rows-2026-01-08T10:0[01]:00\\.000Z-2026-01-08T10:0[12]:00\\.000Z-pane-\\d+(-late)?-00000-of-00001\\.jsonl"));
  }

  @Test
  void flinkAtParallelismTwoShardsItsOutputOnItsOwn() throws IOException {
    Path input = Files.writeString(dir.resolve("events.jsonl"), tutorialEvents());
    Path out = dir.resolve("out");

    run("--agg.mode=batch", "--agg.runner=flink", "--agg.runner-args=--parallelism=2",
        "--agg.batch.input=" + input, "--agg.output.path=" + out.resolve("results.jsonl"));

    assertThat(names(out)).containsExactly(
        "results-00000-of-00002.jsonl", "results-00000-of-00002.jsonl.invalid",
        "results-00001-of-00002.jsonl", "results-00001-of-00002.jsonl.invalid");
    assertThat(rows(out, "results-*.jsonl")).containsExactlyInAnyOrder(Rows.tutorialFinalTotals(true));
    assertThat(lines(out, "results-*.jsonl.invalid")).isEmpty();
  }

  private static void run(String... args) {
    new SpringApplicationBuilder(WindowpaneApplication.class).web(WebApplicationType.NONE).run(args).close();
  }

  private static String tutorialEvents() throws IOException {
    try (var in = ShardedOutputJobTest.class.getResourceAsStream("/samples/tutorial-events.jsonl")) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  /** Every entry of the folder, hidden ones (temporary folders) included. */
  private static List<String> names(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(file -> file.getFileName().toString()).sorted().toList();
    }
  }

  private static List<ResultRow> rows(Path folder, String glob) {
    return lines(folder, glob).stream().flatMap(line -> JsonLines.rows(line).stream()).toList();
  }

  private static List<String> lines(Path folder, String glob) {
    List<String> lines = new ArrayList<>();
    try (var files = Files.newDirectoryStream(folder, glob)) {
      for (Path file : files) {
        lines.addAll(Files.readAllLines(file));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return lines;
  }
}
