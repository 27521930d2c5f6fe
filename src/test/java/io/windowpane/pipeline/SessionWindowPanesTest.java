package io.windowpane.pipeline;

import static io.windowpane.testing.Rows.T0;
import static io.windowpane.testing.Rows.row;
import static io.windowpane.testing.TestEvents.at;
import static io.windowpane.testing.TestEvents.event;

import java.time.Duration;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Session windows (gap 10 s, allowed lateness 60 s) pane by pane, with Beam's DirectRunner as the reference: an
 * EARLY pane of an open session, ON_TIME panes of two sessions, then a late event that bridges them into one
 * merged session, in both accumulation modes. The README's session walk-through is this test.
 */
@ExtendWith(TestPipelineExtension.class)
class SessionWindowPanesTest {

  private static final WindowShape SESSIONS = WindowShape.sessions(Duration.ofSeconds(10));

  /**
   * u1 1 @1 and 2 @5 (session [1,15)); processing time +6 s: EARLY; u1 4 @22 (session [22,32)); watermark 40: both
   * ON_TIME; the late u1 8 @14 spans [14,24), overlapping both sessions: they merge into [1,32); watermark end.
   */
  private static TestStream<LineChunk> bridgingLateEvent() {
    return TestStream.create(Coders.LINE_CHUNK)
        .advanceWatermarkTo(at(0))
        .addElements(event("u1", 1, 1), event("u1", 2, 5))
        .advanceProcessingTime(org.joda.time.Duration.standardSeconds(6))
        .addElements(event("u1", 4, 22))
        .advanceWatermarkTo(at(40))
        .addElements(event("u1", 8, 14))
        .advanceWatermarkToInfinity();
  }

  private static PCollection<ResultRow> aggregate(PCollection<LineChunk> lines, boolean accumulating) {
    AggregationSpec spec = new AggregationSpec(SESSIONS, Duration.ofSeconds(60), Duration.ofSeconds(5),
        Duration.ZERO, accumulating);
    PCollectionTuple parsed = lines.apply(new ParseEvents());
    return parsed.get(ParseEvents.VALID).apply(new KeyWindowAggregation(spec)).apply(new WindowInfo());
  }

  @Test
  void aLateEventMergesTwoFiredSessionsIntoOneWhenAccumulating(TestPipeline p) {
    PAssert.that(aggregate(p.apply(bridgingLateEvent()), true)).containsInAnyOrder(
        row("u1", 2, 3.0, T0.plusSeconds(1), 14, "EARLY", 0, true, false),
        row("u1", 2, 3.0, T0.plusSeconds(1), 14, "ON_TIME", 1, false, false),
        row("u1", 1, 4.0, T0.plusSeconds(22), 10, "ON_TIME", 0, true, false),
        // The merged session is a new window to Beam: its pane numbering starts again (index 0, first).
        row("u1", 4, 15.0, T0.plusSeconds(1), 31, "LATE", 0, true, false));
    p.run().waitUntilFinish();
  }

  @Test
  void aLateEventMergesTwoFiredSessionsIntoOneWhenDiscarding(TestPipeline p) {
    PAssert.that(aggregate(p.apply(bridgingLateEvent()), false)).containsInAnyOrder(
        row("u1", 2, 3.0, T0.plusSeconds(1), 14, "EARLY", 0, true, false),
        // nothing new since the EARLY pane: an empty ON_TIME pane (Beam's OnTimeBehavior.FIRE_ALWAYS)
        row("u1", 0, 0.0, T0.plusSeconds(1), 14, "ON_TIME", 1, false, false),
        row("u1", 1, 4.0, T0.plusSeconds(22), 10, "ON_TIME", 0, true, false),
        // discarding: the merged session's pane holds only what arrived since the merged sessions last fired
        row("u1", 1, 8.0, T0.plusSeconds(1), 31, "LATE", 0, true, false));
    p.run().waitUntilFinish();
  }


}
