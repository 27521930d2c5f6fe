package io.windowpane.pipeline;

import static io.windowpane.testing.Rows.row;
import static io.windowpane.testing.TestEvents.at;
import static io.windowpane.testing.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.windowpane.metrics.JobFigures;
import io.windowpane.source.ScenarioLoader;
import io.windowpane.source.ScenarioSource;
import io.windowpane.testing.Rows;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TimestampedValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The unified transform with its parsing and pane rows (ParseEvents -> KeyWindowAggregation -> WindowInfo), driven
 * by TestStreams: early, on-time, late and droppably-late data, in both accumulation modes.
 */
@ExtendWith(TestPipelineExtension.class)
class AggregationPipelineTest {

  private static final AggregationSpec TUTORIAL =
      new AggregationSpec(Duration.ofSeconds(60), Duration.ofSeconds(120), Duration.ofSeconds(10),
          Duration.ofSeconds(10), true);

  private static PCollection<ResultRow> aggregate(PCollection<LineChunk> lines, AggregationSpec spec) {
    PCollectionTuple parsed = lines.apply(new ParseEvents());
    return parsed.get(ParseEvents.VALID).apply(new KeyWindowAggregation(spec)).apply(new WindowInfo());
  }

  private static PCollection<ResultRow> aggregate(String name, PCollection<LineChunk> lines, AggregationSpec spec) {
    PCollectionTuple parsed = lines.apply(name + "Parse", new ParseEvents());
    return parsed.get(ParseEvents.VALID).apply(name + "Aggregation", new KeyWindowAggregation(spec))
        .apply(name + "Rows", new WindowInfo());
  }

  private static TestStream.Builder<LineChunk> stream() {
    return TestStream.create(Coders.LINE_CHUNK);
  }



  @Test
  void seedScenarioGivesTheSixSpecifiedRowsWhenAccumulating(TestPipeline p) {
    PCollection<ResultRow> rows = aggregate(
        p.apply(new ScenarioSource(ScenarioLoader.load("classpath:scenarios/tutorial.yml"))), TUTORIAL);
    PAssert.that(rows).containsInAnyOrder(Rows.seedScenarioAccumulating());
    p.run().waitUntilFinish();
  }

  @Test
  void seedScenarioLatePaneHoldsOnlyTheLateElementWhenDiscarding(TestPipeline p) {
    AggregationSpec discarding = new AggregationSpec(Duration.ofSeconds(60), Duration.ofSeconds(120),
        Duration.ofSeconds(10), Duration.ofSeconds(10), false);
    PCollection<ResultRow> rows = aggregate(
        p.apply(new ScenarioSource(ScenarioLoader.load("classpath:scenarios/tutorial.yml"))), discarding);
    PAssert.that(rows).containsInAnyOrder(Rows.seedScenarioDiscarding());
    p.run().waitUntilFinish();
  }

  /** u1 20 @5 and 15 @20, processing time +11 s (past the 10 s early delay), u1 1 @30, watermark past the window. */
  private static TestStream<LineChunk> twoEventsThenElevenSecondsThenOneMore() {
    return stream()
        .advanceWatermarkTo(at(0))
        .addElements(event("u1", 20, 5), event("u1", 15, 20))
        .advanceProcessingTime(org.joda.time.Duration.standardSeconds(11))
        .addElements(event("u1", 1, 30))
        .advanceWatermarkTo(at(61))
        .advanceWatermarkToInfinity();
  }

  @Test
  void earlyPaneFiresAfterTheEarlyDelayAndOnTimePaneRestatesTheTotal(TestPipeline p) {
    PCollection<ResultRow> rows = aggregate(p.apply(twoEventsThenElevenSecondsThenOneMore()), TUTORIAL);
    PAssert.that(rows).containsInAnyOrder(
        row("u1", 2, 35.0, 0, "EARLY", 0, true, false),
        row("u1", 3, 36.0, 0, "ON_TIME", 1, false, false));
    p.run().waitUntilFinish();
  }

  @Test
  void earlyAndOnTimePanesSplitTheElementsWhenDiscarding(TestPipeline p) {
    AggregationSpec discarding = new AggregationSpec(Duration.ofSeconds(60), Duration.ofSeconds(120),
        Duration.ofSeconds(10), Duration.ofSeconds(10), false);
    PCollection<ResultRow> rows = aggregate(p.apply(twoEventsThenElevenSecondsThenOneMore()), discarding);
    PAssert.that(rows).containsInAnyOrder(
        row("u1", 2, 35.0, 0, "EARLY", 0, true, false),
        row("u1", 1, 1.0, 0, "ON_TIME", 1, false, false));
    p.run().waitUntilFinish();
  }

  /** u1 20 @5 and 15 @20, processing time +11 s (EARLY), then the watermark passes the window: nothing new. */
  private static TestStream<LineChunk> twoEventsThenOnlyTime() {
    return stream()
        .advanceWatermarkTo(at(0))
        .addElements(event("u1", 20, 5), event("u1", 15, 20))
        .advanceProcessingTime(org.joda.time.Duration.standardSeconds(11))
        .advanceWatermarkTo(at(61))
        .advanceWatermarkToInfinity();
  }

  @Test
  void discardingOnTimePaneIsEmptyWhenAnEarlyPaneTookEverything(TestPipeline p) {
    AggregationSpec discarding = new AggregationSpec(Duration.ofSeconds(60), Duration.ofSeconds(120),
        Duration.ofSeconds(10), Duration.ofSeconds(10), false);
    PCollection<ResultRow> rows = aggregate(p.apply(twoEventsThenOnlyTime()), discarding);
    // Beam's default OnTimeBehavior.FIRE_ALWAYS: the ON_TIME pane says "nothing new since the EARLY pane".
    PAssert.that(rows).containsInAnyOrder(
        row("u1", 2, 35.0, 0, "EARLY", 0, true, false),
        row("u1", 0, 0.0, 0, "ON_TIME", 1, false, false));
    p.run().waitUntilFinish();
  }

  @Test
  void accumulatingOnTimePaneRestatesTheTotalEvenWithNothingNew(TestPipeline p) {
    PCollection<ResultRow> rows = aggregate(p.apply(twoEventsThenOnlyTime()), TUTORIAL);
    PAssert.that(rows).containsInAnyOrder(
        row("u1", 2, 35.0, 0, "EARLY", 0, true, false),
        row("u1", 2, 35.0, 0, "ON_TIME", 1, false, false));
    p.run().waitUntilFinish();
  }

  @Test
  void noEarlyPaneWhenEarlyDelayIsZero(TestPipeline p) {
    AggregationSpec noEarly = new AggregationSpec(Duration.ofSeconds(60), Duration.ZERO, Duration.ZERO,
        Duration.ofSeconds(10), true);
    TestStream<LineChunk> events = stream()
        .advanceWatermarkTo(at(0))
        .addElements(event("u1", 20, 5))
        .advanceProcessingTime(org.joda.time.Duration.standardMinutes(30))
        .advanceWatermarkToInfinity();
    PCollection<ResultRow> rows = aggregate(p.apply(events), noEarly);
    PAssert.that(rows).containsInAnyOrder(row("u1", 1, 20.0, 0, "ON_TIME", 0, true, true));
    p.run().waitUntilFinish();
  }

  /**
   * The README's "final results only" recipe, {@code agg.trigger.early-delay=0s} with the other defaults: however
   * long the windows stay open in processing time, no EARLY row; one ON_TIME row per user and window; LATE rows only
   * where late data came, each restating the corrected total.
   */
  @Test
  void finalResultsOnlyIsOneOnTimeRowPerWindowAndLateRowsOnlyForLateData(TestPipeline p) {
    AggregationSpec finalOnly = new AggregationSpec(Duration.ofSeconds(60), Duration.ofSeconds(120), Duration.ZERO,
        Duration.ofSeconds(10), true);
    org.joda.time.Duration halfMinute = org.joda.time.Duration.standardSeconds(30);
    TestStream<LineChunk> events = stream()
        .advanceWatermarkTo(at(0))
        .addElements(event("u1", 20, 5), event("u2", 8, 35))
        .advanceProcessingTime(halfMinute) // an EARLY pane would fire here by default
        .addElements(event("u1", 15, 20), event("u1", 4, 70))
        .advanceProcessingTime(halfMinute)
        .advanceWatermarkTo(at(61))
        .addElements(event("u2", 3, 50)) // late for [10:00, 10:01)
        .advanceProcessingTime(halfMinute)
        .addElements(event("u1", 6, 80))
        .advanceProcessingTime(halfMinute)
        .advanceWatermarkTo(at(121))
        .advanceProcessingTime(halfMinute)
        .advanceWatermarkToInfinity();
    PCollection<ResultRow> rows = aggregate(p.apply(events), finalOnly);
    PAssert.that(rows).containsInAnyOrder(
        row("u1", 2, 35.0, 0, "ON_TIME", 0, true, false),
        row("u2", 1, 8.0, 0, "ON_TIME", 0, true, false),
        row("u2", 2, 11.0, 0, "LATE", 1, false, false),
        row("u1", 2, 10.0, 1, "ON_TIME", 0, true, false));
    p.run().waitUntilFinish();
  }

  /**
   * SPEC section 13, closing panes: with Beam's default closing behaviour a window that expires with nothing new since
   * its ON_TIME pane fires nothing more, so no row says it is final; with fire-always it ends with one pane marked
   * last when its end plus the allowed lateness passes: the total when accumulating, an empty pane when discarding.
   */
  @Test
  void fireAlwaysEndsEveryWindowWithALastPaneWhenItExpires(TestPipeline p) {
    AggregationSpec accumulating = new AggregationSpec(WindowShape.fixed(Duration.ofSeconds(60)),
        Duration.ofSeconds(120), Duration.ZERO, Duration.ZERO, true, false, true);
    AggregationSpec discarding = new AggregationSpec(WindowShape.fixed(Duration.ofSeconds(60)),
        Duration.ofSeconds(120), Duration.ZERO, Duration.ZERO, false, false, true);
    AggregationSpec beamDefault = new AggregationSpec(WindowShape.fixed(Duration.ofSeconds(60)),
        Duration.ofSeconds(120), Duration.ZERO, Duration.ZERO, true);
    TestStream<LineChunk> events = stream()
        .advanceWatermarkTo(at(0))
        .addElements(event("u1", 20, 5), event("u1", 15, 20))
        .advanceWatermarkTo(at(61)) // ON_TIME; nothing comes after it
        .advanceWatermarkTo(at(200)) // past the end plus the allowed lateness: the window expires
        .advanceWatermarkToInfinity();
    PCollection<LineChunk> lines = p.apply(events);
    PAssert.that(aggregate("Accumulating", lines, accumulating)).containsInAnyOrder(
        row("u1", 2, 35.0, 0, "ON_TIME", 0, true, false),
        row("u1", 2, 35.0, 0, "LATE", 1, false, true));
    PAssert.that(aggregate("Discarding", lines, discarding)).containsInAnyOrder(
        row("u1", 2, 35.0, 0, "ON_TIME", 0, true, false),
        row("u1", 0, 0.0, 0, "LATE", 1, false, true));
    PAssert.that(aggregate("BeamDefault", lines, beamDefault)).containsInAnyOrder(
        row("u1", 2, 35.0, 0, "ON_TIME", 0, true, false));
    p.run().waitUntilFinish();
  }

  @Test
  void zeroLateDelayFiresALatePaneForEveryLateElement(TestPipeline p) {
    AggregationSpec everyLate = new AggregationSpec(Duration.ofSeconds(60), Duration.ofSeconds(120),
        Duration.ZERO, Duration.ZERO, true);
    TestStream<LineChunk> events = stream()
        .addElements(event("u1", 20, 5))
        .advanceWatermarkTo(at(61))
        .addElements(event("u1", 3, 50))
        .addElements(event("u1", 4, 55))
        .advanceWatermarkToInfinity();
    PCollection<ResultRow> rows = aggregate(p.apply(events), everyLate);
    PAssert.that(rows).containsInAnyOrder(
        row("u1", 1, 20.0, 0, "ON_TIME", 0, true, false),
        row("u1", 2, 23.0, 0, "LATE", 1, false, false),
        row("u1", 3, 27.0, 0, "LATE", 2, false, false));
    p.run().waitUntilFinish();
  }

  @Test
  void lateTriggerFiresOnlyForTheKeyThatReceivedLateData(TestPipeline p) {
    TestStream<LineChunk> events = stream()
        .addElements(event("u1", 20, 5), event("u2", 8, 35))
        .advanceWatermarkTo(at(61))
        .addElements(event("u2", 3, 50))
        .advanceProcessingTime(org.joda.time.Duration.standardSeconds(11))
        .advanceWatermarkToInfinity();
    PCollection<ResultRow> rows = aggregate(p.apply(events), TUTORIAL);
    PAssert.that(rows).containsInAnyOrder(
        row("u1", 1, 20.0, 0, "ON_TIME", 0, true, false),
        row("u2", 1, 8.0, 0, "ON_TIME", 0, true, false),
        row("u2", 2, 11.0, 0, "LATE", 1, false, false));
    p.run().waitUntilFinish();
  }

  @Test
  void dataLaterThanTheAllowedLatenessIsDroppedAndCounted(TestPipeline p) {
    AggregationSpec noLateness = new AggregationSpec(Duration.ofSeconds(60), Duration.ZERO,
        Duration.ofSeconds(10), Duration.ofSeconds(10), true);
    TestStream<LineChunk> events = stream()
        .addElements(event("u1", 20, 5))
        .advanceWatermarkTo(at(61))
        .addElements(event("u1", 100, 50), event("u2", 7, 59))
        .addElements(event("u1", 1, 65))
        .advanceWatermarkToInfinity();
    PCollection<ResultRow> rows = aggregate(p.apply(events), noLateness);
    PAssert.that(rows).containsInAnyOrder(
        row("u1", 1, 20.0, 0, "ON_TIME", 0, true, true),
        row("u1", 1, 1.0, 1, "ON_TIME", 0, true, true));
    PipelineResult result = p.run();
    result.waitUntilFinish();
    JobFigures figures = JobFigures.of(result);
    assertThat(figures.lateDropped()).isEqualTo(2);
    assertThat(figures.eventsRead()).isEqualTo(4);
    assertThat(figures.panes(JobFigures.PaneTiming.ON_TIME)).isEqualTo(2);
  }

  @Test
  void everyEventReadIsAggregatedRejectedOrDroppedOnAMixedStream(TestPipeline p) {
    AggregationSpec discarding = new AggregationSpec(Duration.ofSeconds(60), Duration.ofSeconds(30),
        Duration.ofSeconds(10), Duration.ZERO, false);
    TestStream<LineChunk> events = stream()
        .addElements(event("u1", 1, 5), event("u2", 2, 10), TimestampedValue.of(LineChunk.of("x", "oops"), at(11)))
        .advanceProcessingTime(org.joda.time.Duration.standardSeconds(11))
        .addElements(event("u1", 3, 40), TimestampedValue.of(LineChunk.of("x", "{\"user_id\":\"u\"}"), at(12)))
        .advanceWatermarkTo(at(75))
        .addElements(event("u1", 4, 50), event("u3", 5, 70))
        .advanceWatermarkTo(at(95))
        .addElements(event("u1", 6, 30), event("u2", 7, 59), TimestampedValue.of(LineChunk.of("x", ""), at(13)))
        .advanceWatermarkToInfinity();
    PCollection<ResultRow> rows = aggregate(p.apply(events), discarding);
    PAssert.that(rows).satisfies(all -> {
      long aggregated = 0;
      for (ResultRow row : all) {
        aggregated += row.count();
      }
      assertThat(aggregated).as("events in panes").isEqualTo(5);
      return null;
    });
    PipelineResult result = p.run();
    result.waitUntilFinish();
    JobFigures figures = JobFigures.of(result);
    assertThat(figures.eventsRead()).isEqualTo(9);
    assertThat(figures.eventsInvalid()).isEqualTo(2);
    assertThat(figures.lateDropped()).isEqualTo(2);
    assertThat(figures.eventsAggregated()).isEqualTo(5);
  }

  @Test
  void boundedInputGivesOneOnTimePanePerUserAndWindowWithFinalTotals(TestPipeline p) {
    PCollection<LineChunk> lines = p.apply(Create.timestamped(
        event("u1", 20, 5), event("u1", 15, 20), event("u2", 8, 35), event("u1", -5, 62),
        event("u2", 12, 70), event("u3", 9, 75), event("u2", 3, 50))
        .withCoder(Coders.LINE_CHUNK));
    PAssert.that(aggregate(lines, TUTORIAL.forBoundedInput())).containsInAnyOrder(Rows.tutorialFinalTotals(true));
    p.run().waitUntilFinish();
  }

  @Test
  void invalidLinesGoToTheDeadLetterOutputWithTheirReasonAndBlankLinesAreSkipped(TestPipeline p) {
    PCollection<LineChunk> lines = p.apply(Create.of(
        new LineChunk("f.jsonl", List.of(
            "{\"user_id\":\"u1\",\"amount\":2,\"event_time\":1767866405}",
            "   ",
            "{\"user_id\":\"u1\",\"amount\":\"two\",\"event_time\":1767866405}")),
        LineChunk.of("g.jsonl", "not json"))
        .withCoder(Coders.LINE_CHUNK));
    PCollectionTuple parsed = lines.apply(new ParseEvents());
    PAssert.that(parsed.get(ParseEvents.VALID))
        .containsInAnyOrder(new Event("u1", null, new BigDecimal("2"), 1767866405000L));
    PAssert.that(parsed.get(ParseEvents.INVALID)).satisfies(invalid -> {
      assertThat(invalid).extracting(InvalidLine::origin).containsExactlyInAnyOrder("f.jsonl", "g.jsonl");
      assertThat(invalid).extracting(InvalidLine::reason)
          .anySatisfy(r -> assertThat(r).isEqualTo("amount must be a number, got string \"two\""))
          .anySatisfy(r -> assertThat(r).startsWith("invalid JSON"));
      return null;
    });
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertThat(JobFigures.of(result).eventsRead()).isEqualTo(3);
    assertThat(JobFigures.of(result).eventsInvalid()).isEqualTo(2);
  }
}
