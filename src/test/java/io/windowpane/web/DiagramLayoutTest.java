package io.windowpane.web;

import static io.windowpane.testing.Rows.T0;
import static io.windowpane.testing.Rows.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.windowpane.source.Scenario;
import io.windowpane.metrics.WatermarkTrail;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Positions in the pane diagram come from the recorded times: steps for a scenario, wall time for a live input. */
class DiagramLayoutTest {

  /** Wall-clock times at which things were seen, in microseconds after an arbitrary start. */
  private static final Instant WALL = Instant.parse("2026-11-24T12:00:00Z");

  private static Instant wall(long micros) {
    return WALL.plusNanos(micros * 1_000);
  }

  private static final Scenario SCENARIO = new Scenario("test", T0, List.of(
      new Scenario.AdvanceWatermark(1, T0.toEpochMilli(), false),
      new Scenario.AddElements(2, List.of(new Scenario.TimedLine("{}", T0.plusSeconds(5).toEpochMilli()))),
      new Scenario.AdvanceWatermark(3, T0.plusSeconds(61).toEpochMilli(), false),
      new Scenario.AdvanceProcessingTime(4, 5_000),
      new Scenario.AdvanceWatermark(5, 0, true)));

  @Test
  void aPaneOrElementBelongsToTheStepWhoseMarkerPassedFirstAfterIt() {
    PaneJournal.Snapshot journal = new PaneJournal.Snapshot(
        List.of(
            new PaneJournal.Pane(row("u1", 1, 20.0, 0, "ON_TIME", 0, true, false), wall(350)),
            new PaneJournal.Pane(row("u1", 1, 20.0, 0, "LATE", 1, false, true), wall(900))),
        List.of(new PaneJournal.Arrival("u1", T0.plusSeconds(5), BigDecimal.valueOf(20), wall(150))),
        new TreeMap<>(Map.of(1, wall(100), 2, wall(200), 3, wall(400), 4, wall(500))), 2, 1, false);
    DiagramLayout layout = new DiagramLayout(DiagramLayout.Kind.SCENARIO, SCENARIO, journal);

    assertThat(layout.step(wall(50))).isEqualTo(1);
    assertThat(layout.step(wall(200))).isEqualTo(2); // seen exactly when the marker passed: still that step
    assertThat(layout.elements("u1")).singleElement().satisfies(e -> {
      assertThat(e.step()).isEqualTo(2);
      assertThat(e.y()).isEqualTo(1.5 * DiagramLayout.STEP_HEIGHT);
    });
    assertThat(layout.panes("u1")).extracting(DiagramLayout.PaneMark::step)
        .containsExactly(3, 5); // the last step (watermark: end) has no marker: what comes after the others is its
    assertThat(layout.panes("u1").get(1).y()).isEqualTo(4.5 * DiagramLayout.STEP_HEIGHT);
  }

  @Test
  void eventTimeRunsAcrossFromTheEarliestToTheLatestTimeDrawn() {
    PaneJournal.Snapshot journal = new PaneJournal.Snapshot(
        List.of(new PaneJournal.Pane(row("u1", 1, 20.0, 0, "ON_TIME", 0, true, false), wall(1)),
            new PaneJournal.Pane(row("u2", 1, 20.0, 1, "ON_TIME", 0, true, false), wall(2))),
        List.of(), new TreeMap<>(), 2, 0, false);
    DiagramLayout layout = new DiagramLayout(DiagramLayout.Kind.SCENARIO, SCENARIO, journal);

    assertThat(layout.x(T0)).isEqualTo(DiagramLayout.GUTTER);
    assertThat(layout.x(T0.plusSeconds(120))).isEqualTo(DiagramLayout.GUTTER + DiagramLayout.PLOT_WIDTH);
    assertThat(layout.x(T0.plusSeconds(30))).isCloseTo(DiagramLayout.GUTTER + DiagramLayout.PLOT_WIDTH / 4,
        within(1e-9));
    assertThat(layout.x(T0.minusSeconds(600))).as("clamped").isEqualTo(DiagramLayout.GUTTER);
    assertThat(layout.panes("u2")).singleElement().satisfies(pane -> {
      assertThat(pane.x1()).isCloseTo(DiagramLayout.GUTTER + DiagramLayout.PLOT_WIDTH / 2, within(1e-9));
      assertThat(pane.x2()).isEqualTo(DiagramLayout.GUTTER + DiagramLayout.PLOT_WIDTH);
    });
    assertThat(layout.users()).containsExactly("u1", "u2");
    assertThat(layout.windowBounds()).containsExactly(T0, T0.plusSeconds(60), T0.plusSeconds(120));
  }

  @Test
  void theWatermarkMovesAcrossInTheRowsOfWatermarkSteps() {
    PaneJournal.Snapshot journal = new PaneJournal.Snapshot(
        List.of(new PaneJournal.Pane(row("u1", 1, 20.0, 1, "ON_TIME", 0, true, false), wall(1))),
        List.of(), new TreeMap<>(), 1, 0, false);
    DiagramLayout layout = new DiagramLayout(DiagramLayout.Kind.SCENARIO, SCENARIO, journal);
    double h = DiagramLayout.STEP_HEIGHT;
    double left = DiagramLayout.GUTTER;
    double right = DiagramLayout.GUTTER + DiagramLayout.PLOT_WIDTH;

    assertThat(layout.watermark()).containsExactly(
        new DiagramLayout.Point(left, 0), new DiagramLayout.Point(left, h / 2), new DiagramLayout.Point(left, h / 2),
        new DiagramLayout.Point(left, h),
        new DiagramLayout.Point(left, h), new DiagramLayout.Point(left, 2 * h),
        new DiagramLayout.Point(left, 2 * h), new DiagramLayout.Point(left, 2.5 * h),
        new DiagramLayout.Point(layout.x(T0.plusSeconds(61)), 2.5 * h),
        new DiagramLayout.Point(layout.x(T0.plusSeconds(61)), 3 * h),
        new DiagramLayout.Point(layout.x(T0.plusSeconds(61)), 3 * h),
        new DiagramLayout.Point(layout.x(T0.plusSeconds(61)), 4 * h),
        new DiagramLayout.Point(layout.x(T0.plusSeconds(61)), 4 * h),
        new DiagramLayout.Point(layout.x(T0.plusSeconds(61)), 4.5 * h),
        new DiagramLayout.Point(right, 4.5 * h), new DiagramLayout.Point(right, 5 * h));
  }

  @Test
  void aLiveInputRunsDownInWallClockTime() {
    PaneJournal.Snapshot journal = new PaneJournal.Snapshot(
        List.of(new PaneJournal.Pane(row("u1", 2, 5.0, 0, "ON_TIME", 0, true, false), wall(10_000_000))),
        List.of(new PaneJournal.Arrival("u1", T0.plusSeconds(1), BigDecimal.valueOf(2), wall(0)),
            new PaneJournal.Arrival("u1", T0.plusSeconds(2), BigDecimal.valueOf(3), wall(5_000_000))),
        new TreeMap<>(), 1, 2, false);
    DiagramLayout layout = new DiagramLayout(DiagramLayout.Kind.LIVE, null, journal);

    assertThat(layout.elements("u1")).extracting(DiagramLayout.ElementMark::y)
        .containsExactly(12.0, 12 + (DiagramLayout.LIVE_HEIGHT - 24) / 2);
    assertThat(layout.panes("u1")).singleElement()
        .satisfies(pane -> assertThat(pane.y()).isEqualTo(DiagramLayout.LIVE_HEIGHT - 12));
    assertThat(layout.watermark()).as("no watermark read").isEmpty();
  }

  @Test
  void aLiveJobsWatermarkIsAStaircaseDownTheWallClock() {
    PaneJournal.Snapshot journal = new PaneJournal.Snapshot(
        List.of(new PaneJournal.Pane(row("u1", 2, 5.0, 0, "ON_TIME", 0, true, false), wall(10_000_000))),
        List.of(new PaneJournal.Arrival("u1", T0.plusSeconds(1), BigDecimal.valueOf(2), wall(0))),
        new TreeMap<>(), 1, 1, false);
    List<WatermarkTrail.Sample> samples = List.of(
        new WatermarkTrail.Sample(wall(-5_000_000), T0.toEpochMilli() - 30_000), // before the journal: not drawn
        new WatermarkTrail.Sample(wall(2_000_000), T0.toEpochMilli() + 20_000),
        new WatermarkTrail.Sample(wall(10_000_000), T0.toEpochMilli() + 60_000),
        new WatermarkTrail.Sample(wall(20_000_000), T0.toEpochMilli() + 90_000));
    DiagramLayout layout = new DiagramLayout(DiagramLayout.Kind.LIVE, null, journal, samples);

    double at2 = layout.y(wall(2_000_000));
    double at10 = layout.y(wall(10_000_000));
    double at20 = layout.y(wall(20_000_000));
    assertThat(at20).as("the newest sample is the bottom").isEqualTo(DiagramLayout.LIVE_HEIGHT - 12);
    assertThat(layout.watermark()).containsExactly(
        new DiagramLayout.Point(layout.x(T0.plusSeconds(20)), at2),
        new DiagramLayout.Point(layout.x(T0.plusSeconds(20)), at10),
        new DiagramLayout.Point(layout.x(T0.plusSeconds(60)), at10),
        new DiagramLayout.Point(layout.x(T0.plusSeconds(60)), at20),
        new DiagramLayout.Point(layout.x(T0.plusSeconds(90)), at20));
    assertThat(layout.panes("u1")).singleElement().satisfies(pane -> assertThat(pane.y()).isEqualTo(at10));
    assertThat(new DiagramLayout(DiagramLayout.Kind.BOUNDED, null, journal, samples).watermark())
        .as("bounded input").isEmpty();
  }
}
