package io.windowpane.pipeline;

import static io.windowpane.testing.Rows.T0;
import static io.windowpane.testing.Rows.row;
import static io.windowpane.testing.TestEvents.at;
import static io.windowpane.testing.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.windowpane.testing.Rows;
import io.windowpane.metrics.JobFigures;
import io.windowpane.source.ScenarioLoader;
import io.windowpane.source.ScenarioSource;
import java.time.Duration;
import java.util.List;
import java.util.stream.StreamSupport;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Events too late for their windows are dead-lettered, exactly those the aggregation would drop, and the aggregation
 * then drops nothing (Beam's own late-drop counter stays at 0): fixed windows, sliding windows with an event late
 * for one of its windows, and a session a late event would merge.
 */
@ExtendWith(TestPipelineExtension.class)
class SplitOffLateEventsTest {

  /** The live data path of PipelineFactory: parse keeping origins, split off the late, aggregate, rows. */
  private static PCollectionTuple run(PCollection<LineChunk> lines, AggregationSpec spec) {
    PCollection<Event> events = lines.apply(ParseEvents.keepingOrigins()).get(ParseEvents.VALID);
    PCollectionTuple split = events.apply(new SplitOffLateEvents(spec.window(), spec.allowedLateness()));
    PCollection<ResultRow> rows = split.get(SplitOffLateEvents.ON_TIME).apply(new KeyWindowAggregation(spec))
        .apply(new WindowInfo());
    return PCollectionTuple.of(ROWS, rows).and(SplitOffLateEvents.LATE, split.get(SplitOffLateEvents.LATE));
  }

  private static final org.apache.beam.sdk.values.TupleTag<ResultRow> ROWS = new org.apache.beam.sdk.values.TupleTag<>() {};

  private static AggregationSpec spec(WindowShape window, Duration lateness) {
    return new AggregationSpec(window, lateness, Duration.ZERO, Duration.ZERO, true);
  }

  @Test
  void theSeedsLateEventIsADeadLetterWithoutAllowedLateness(TestPipeline p) {
    AggregationSpec noLateness = new AggregationSpec(WindowShape.fixed(Duration.ofSeconds(60)), Duration.ZERO,
        Duration.ofSeconds(10), Duration.ofSeconds(10), true);
    PCollectionTuple out = run(
        p.apply(new ScenarioSource(ScenarioLoader.load("classpath:scenarios/tutorial.yml"))), noLateness);

    PAssert.that(out.get(ROWS)).containsInAnyOrder(Rows.tutorialFinalTotals(false));
    PAssert.that(out.get(SplitOffLateEvents.LATE)).satisfies(late -> {
      InvalidLine letter = single(late);
      assertThat(letter.origin()).isEqualTo("classpath:scenarios/tutorial.yml step 7");
      assertThat(letter.line()).contains("\"u2\"").contains("2026-01-08T10:00:50Z");
      assertThat(letter.reason()).isEqualTo("late: window [2026-01-08T10:00:00.000Z, 2026-01-08T10:01:00.000Z)"
          + " closed before the watermark 2026-01-08T10:01:01.000Z (end + allowed lateness PT0S)");
      return null;
    });
    assertFigures(p.run(), 7, 1);
  }

  /** With nothing late, the step changes no row: the seed scenario's six rows, pane flags included (SPEC section 5). */
  @Test
  void theSeedScenarioGivesItsSixRowsThroughTheStep(TestPipeline p) {
    AggregationSpec tutorial = new AggregationSpec(WindowShape.fixed(Duration.ofSeconds(60)), Duration.ofSeconds(120),
        Duration.ofSeconds(10), Duration.ofSeconds(10), true);
    PCollectionTuple out = run(
        p.apply(new ScenarioSource(ScenarioLoader.load("classpath:scenarios/tutorial.yml"))), tutorial);
    PAssert.that(out.get(ROWS)).containsInAnyOrder(Rows.seedScenarioAccumulating());
    PAssert.that(out.get(SplitOffLateEvents.LATE)).empty();
    assertFigures(p.run(), 7, 0);
  }

  @Test
  void aSlidingWindowsEventCanBeLateForOneWindowAndOnTimeForTheOther(TestPipeline p) {
    AggregationSpec sliding = spec(WindowShape.sliding(Duration.ofSeconds(60), Duration.ofSeconds(30)), Duration.ZERO);
    TestStream<LineChunk> events = TestStream.create(Coders.LINE_CHUNK)
        .addElements(event("u1", 1, 40)) // windows [0,60) and [30,90)
        .advanceWatermarkTo(at(61)) // [0,60) closes (no allowed lateness)
        .addElements(event("u1", 5, 45)) // late for [0,60), on time for [30,90)
        .advanceWatermarkTo(at(95)) // [30,90) closes too
        .addElements(event("u1", 7, 50)) // late for both
        .advanceWatermarkToInfinity();
    PCollectionTuple out = run(p.apply(events), sliding);

    PAssert.that(out.get(ROWS)).containsInAnyOrder(
        row("u1", 1, 1.0, T0, 60, "ON_TIME", 0, true, true),
        row("u1", 2, 6.0, T0.plusSeconds(30), 60, "ON_TIME", 0, true, true));
    PAssert.that(out.get(SplitOffLateEvents.LATE)).satisfies(late -> {
      List<String> reasons = StreamSupport.stream(late.spliterator(), false).map(InvalidLine::reason).toList();
      assertThat(reasons).containsExactlyInAnyOrder(
          "late: for 1 of its 2 windows, [2026-01-08T10:00:00.000Z, 2026-01-08T10:01:00.000Z), closed before the"
              + " watermark 2026-01-08T10:01:01.000Z (end + allowed lateness PT0S); counted in the other 1",
          "late: windows [2026-01-08T10:00:00.000Z, 2026-01-08T10:01:00.000Z), [2026-01-08T10:00:30.000Z,"
              + " 2026-01-08T10:01:30.000Z) closed before the watermark 2026-01-08T10:01:35.000Z (end + allowed"
              + " lateness PT0S)");
      return null;
    });
    // read 3 = aggregated 2 (the partly late one counts as aggregated) + late 1
    assertFigures(p.run(), 3, 1);
  }

  @Test
  void aLateEventThatWouldMergeTwoClosedSessionsIsADeadLetter(TestPipeline p) {
    AggregationSpec sessions = spec(WindowShape.sessions(Duration.ofSeconds(10)), Duration.ofSeconds(5));
    TestStream<LineChunk> events = TestStream.create(Coders.LINE_CHUNK)
        .addElements(event("u1", 1, 0), event("u1", 2, 15)) // sessions [0,10) and [15,25)
        .advanceWatermarkTo(at(21)) // [0,10) is past its lateness (closed at 15); [15,25) is open
        .addElements(event("u1", 4, 8)) // [8,18): on time (closes at 23); joins the open session only
        .addElements(event("u1", 16, 50), event("u1", 32, 65)) // sessions [50,60) and [65,75)
        .advanceWatermarkTo(at(90)) // everything closes
        .addElements(event("u1", 8, 12)) // [12,22) would join the closed [8,25): late
        .addElements(event("u1", 64, 58)) // [58,68) would merge the closed [50,60) and [65,75): late
        .advanceWatermarkToInfinity();
    PCollectionTuple out = run(p.apply(events), sessions);

    PAssert.that(out.get(ROWS)).satisfies(rows -> {
      assertThat(StreamSupport.stream(rows.spliterator(), false).filter(ResultRow::paneIsLast)
          .map(r -> r.windowStart().substring(14) + "-" + r.windowEnd().substring(14) + " " + r.count() + " "
              + r.sumAmount()))
          .as("as Beam merges: an on-time event joins open sessions only; the late ones are in none")
          .containsExactlyInAnyOrder("00:00Z-00:10Z 1 1.0", "00:08Z-00:25Z 2 6.0", "00:50Z-01:00Z 1 16.0",
              "01:05Z-01:15Z 1 32.0");
      return null;
    });
    PAssert.that(out.get(SplitOffLateEvents.LATE)).satisfies(late -> {
      assertThat(StreamSupport.stream(late.spliterator(), false).map(InvalidLine::reason)).containsExactlyInAnyOrder(
          "late: window [2026-01-08T10:00:12.000Z, 2026-01-08T10:00:22.000Z) closed before the watermark"
              + " 2026-01-08T10:01:30.000Z (end + allowed lateness PT5S)",
          "late: window [2026-01-08T10:00:58.000Z, 2026-01-08T10:01:08.000Z) closed before the watermark"
              + " 2026-01-08T10:01:30.000Z (end + allowed lateness PT5S)");
      return null;
    });
    assertFigures(p.run(), 7, 2);
  }

  /**
   * SPEC section 13: a drain closes its windows for good. The drained watermark fires every open window; the step
   * remembers the newest event time it had passed on, and an event that comes for a window that started by then is
   * a dead letter naming the drain (in a job resumed from the drain's savepoint too: the memory is in its state),
   * never a second first pane. A later window is judged by the watermark as before.
   */
  @Test
  void aWindowADrainClosedStaysClosedAndTheDeadLetterNamesTheDrain(TestPipeline p) {
    AggregationSpec fixed = spec(WindowShape.fixed(Duration.ofSeconds(60)), Duration.ofSeconds(120));
    TestStream<LineChunk> events = TestStream.create(Coders.LINE_CHUNK)
        .advanceWatermarkTo(at(0))
        .addElements(event("u1", 20, 5))
        .advanceWatermarkTo(DrainedWatermark.VALUE) // a drain: [10:00, 10:01) fires its final pane
        .addElements(event("u1", 15, 50)) // for the drained window
        .addElements(event("u1", 4, 70)) // for a window that had no event before the drain
        .advanceWatermarkToInfinity();
    PCollectionTuple out = run(p.apply(events), fixed);

    PAssert.that(out.get(ROWS)).containsInAnyOrder(row("u1", 1, 20.0, 0, "ON_TIME", 0, true, true));
    PAssert.that(out.get(SplitOffLateEvents.LATE)).satisfies(late -> {
      assertThat(StreamSupport.stream(late.spliterator(), false).map(InvalidLine::reason)).containsExactlyInAnyOrder(
          "late: window [2026-01-08T10:00:00.000Z, 2026-01-08T10:01:00.000Z) closed for good by a drain of this job"
              + " (it closed the windows that started by 2026-01-08T10:00:05.000Z)",
          "late: window [2026-01-08T10:01:00.000Z, 2026-01-08T10:02:00.000Z) closed before the watermark "
              + DrainedWatermark.VALUE + " (end + allowed lateness PT2M)");
      return null;
    });
    assertFigures(p.run(), 3, 2);
  }

  private static InvalidLine single(Iterable<InvalidLine> letters) {
    List<InvalidLine> all = StreamSupport.stream(letters.spliterator(), false).toList();
    assertThat(all).hasSize(1);
    return all.get(0);
  }

  /** read = aggregated + invalid + late, with the late ones dead-lettered and none dropped by Beam. */
  private static void assertFigures(PipelineResult result, long read, long late) {
    result.waitUntilFinish();
    JobFigures figures = JobFigures.of(result);
    assertThat(figures.eventsRead()).isEqualTo(read);
    assertThat(figures.lateDeadLettered()).isEqualTo(late);
    assertThat(figures.runnerLateDropped()).as("Beam's own late-drop counter").isZero();
  }
}
