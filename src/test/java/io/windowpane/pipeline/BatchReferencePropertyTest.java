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
 * the totals of a plain-Java reference, for several window sizes.
 */
@ExtendWith(TestPipelineExtension.class)
class BatchReferencePropertyTest {

  @ParameterizedTest(name = "seed {0}: {1} lines, {2} users, window {3}s")
  @CsvSource({"1, 1, 1, 60", "2, 50, 3, 60", "3, 400, 7, 30", "4, 1000, 25, 90", "5, 2000, 3, 1", "6, 300, 1, 3600"})
  void batchTotalsEqualThePlainJavaReference(long seed, int events, int users, long windowSeconds,
      TestPipeline p) {
    EventGenerator.Generated data = EventGenerator.generate(seed, events, users, 1_767_866_400_000L,
        20 * 60_000L, windowSeconds * 1000, 0.05);
    // Chunks of up to 100 lines, as the file source delivers them.
    List<LineChunk> chunks = new ArrayList<>();
    for (int from = 0; from < data.lines().size(); from += 100) {
      chunks.add(new LineChunk("gen", data.lines().subList(from, Math.min(from + 100, data.lines().size()))));
    }
    AggregationSpec spec = new AggregationSpec(Duration.ofSeconds(windowSeconds), Duration.ofSeconds(120),
        Duration.ofSeconds(10), Duration.ofSeconds(10), true).forBoundedInput();

    PCollectionTuple parsed = p.apply(Create.of(chunks).withCoder(LineChunkCoder.of())).apply(new ParseEvents());
    PCollection<ResultRow> rows =
        parsed.get(ParseEvents.VALID).apply(new UserWindowAggregation(spec)).apply(new WindowInfo());

    PAssert.that(rows).containsInAnyOrder(data.reference().rows());
    PipelineResult result = p.run();
    result.waitUntilFinish();
    JobFigures figures = JobFigures.of(result);
    assertThat(figures.eventsRead()).isEqualTo(events);
    assertThat(figures.eventsInvalid()).isEqualTo(data.invalid());
    assertThat(figures.panes(JobFigures.PaneTiming.ON_TIME)).isEqualTo(data.reference().rows().size());
  }
}
