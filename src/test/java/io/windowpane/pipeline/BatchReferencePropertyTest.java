package io.windowpane.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.windowpane.metrics.JobFigures;
import io.windowpane.testing.EventGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Property-style: random event sets (seeded, with invalid lines mixed in) through the batch pipeline give exactly
 * the totals of a plain-Java reference, for several sizes of fixed and sliding windows and session gaps.
 */
@ExtendWith(TestPipelineExtension.class)
class BatchReferencePropertyTest {

  @ParameterizedTest(name = "seed {0}: {1} lines, {2} users, window {3}s")
  @CsvSource({"1, 1, 1, 60", "2, 50, 3, 60", "3, 400, 7, 30", "4, 1000, 25, 90", "5, 2000, 3, 1", "6, 300, 1, 3600"})
  void batchTotalsEqualThePlainJavaReference(long seed, int events, int users, long windowSeconds,
      TestPipeline p) {
    assertBatchTotals(p, seed, events, users, WindowShape.fixed(Duration.ofSeconds(windowSeconds)));
  }

  @ParameterizedTest(name = "seed {0}: {1} lines, {2} users, sliding {3}s every {4}s")
  @CsvSource({"11, 1, 1, 60, 60", "12, 300, 3, 60, 30", "13, 1000, 7, 90, 20", "14, 500, 2, 10, 3",
      "15, 200, 25, 3600, 600"})
  void slidingWindowTotalsEqualThePlainJavaReference(long seed, int events, int users, long sizeSeconds,
      long periodSeconds, TestPipeline p) {
    assertBatchTotals(p, seed, events, users,
        WindowShape.sliding(Duration.ofSeconds(sizeSeconds), Duration.ofSeconds(periodSeconds)));
  }

  @ParameterizedTest(name = "seed {0}: {1} lines, {2} users, sessions with a {3}s gap")
  @CsvSource({"21, 1, 1, 60", "22, 300, 3, 5", "23, 1000, 25, 30", "24, 2000, 7, 2", "25, 200, 2, 600"})
  void sessionTotalsEqualThePlainJavaReference(long seed, int events, int users, long gapSeconds, TestPipeline p) {
    assertBatchTotals(p, seed, events, users, WindowShape.sessions(Duration.ofSeconds(gapSeconds)));
  }

  private static void assertBatchTotals(TestPipeline p, long seed, int events, int users, WindowShape shape) {
    EventGenerator.Generated data = EventGenerator.generate(seed, events, users, 1_767_866_400_000L,
        20 * 60_000L, 60_000, 0.05);
    // Chunks of up to 100 lines, as the file source delivers them.
    List<LineChunk> chunks = new ArrayList<>();
    for (int from = 0; from < data.lines().size(); from += 100) {
      chunks.add(new LineChunk("gen", data.lines().subList(from, Math.min(from + 100, data.lines().size()))));
    }
    AggregationSpec spec = new AggregationSpec(shape, Duration.ofSeconds(120), Duration.ofSeconds(10),
        Duration.ofSeconds(10), true).forBoundedInput();

    PCollectionTuple parsed = p.apply(Create.of(chunks).withCoder(Coders.LINE_CHUNK)).apply(new ParseEvents());
    PCollection<ResultRow> rows =
        parsed.get(ParseEvents.VALID).apply(new KeyWindowAggregation(spec)).apply(new WindowInfo());

    List<ResultRow> expected = data.reference().rows(shape);
    PAssert.that(rows).containsInAnyOrder(expected);
    PipelineResult result = p.run();
    result.waitUntilFinish();
    JobFigures figures = JobFigures.of(result);
    assertThat(figures.eventsRead()).isEqualTo(events);
    assertThat(figures.eventsInvalid()).isEqualTo(data.invalid());
    assertThat(figures.panes(JobFigures.PaneTiming.ON_TIME)).isEqualTo(expected.size());
  }
}
