package io.windowpane.web;

import io.windowpane.metrics.WatermarkTrail;
import io.windowpane.pipeline.ResultRow;
import io.windowpane.source.Scenario;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Where things go in the pane diagram, from the times the job recorded. Horizontal: event time. Vertical: processing,
 * which is the scenario's steps for a scripted scenario (a pane or element belongs to the step whose marker passed
 * first after it), the wall-clock time things were read and fired for a live input, and nothing for bounded input
 * (each user gets one lane of windows with their final totals). Pure arithmetic: no drawing here.
 */
final class DiagramLayout {

  /** Width of the event-time axis, and the gutter left of it for step labels. */
  static final double PLOT_WIDTH = 720;
  static final double GUTTER = 190;
  static final double STEP_HEIGHT = 36;
  static final double LIVE_HEIGHT = 360;
  static final double LANE_HEIGHT = 40;

  enum Kind {
    /** A TestStream scenario: processing = its steps. */
    SCENARIO,
    /** A live input: processing = wall-clock time. */
    LIVE,
    /** Bounded input: final totals along event time. */
    BOUNDED
  }

  /** A fired pane drawn across its window at the processing position it fired at. */
  record PaneMark(ResultRow row, double x1, double x2, double y, int step, Instant at) {}

  /** An element drawn where it happened (event time) and when it was read. */
  record ElementMark(PaneJournal.Arrival arrival, double x, double y, int step) {}

  /** A point of the watermark line. */
  record Point(double x, double y) {}

  private final Kind kind;
  private final Scenario scenario;
  private final PaneJournal.Snapshot journal;
  /** A live job's watermark as read while it ran, within the wall-clock range drawn. */
  private final List<WatermarkTrail.Sample> watermarks;
  private final Instant eventFrom;
  private final Instant eventTo;
  private final Instant atFrom;
  private final Instant atTo;

  DiagramLayout(Kind kind, Scenario scenario, PaneJournal.Snapshot journal) {
    this(kind, scenario, journal, List.of());
  }

  /**
   * @param watermarks a live job's watermark samples, oldest first: drawn from the first thing the journal holds on
   *     (its older entries are gone), or all of them while it holds nothing
   */
  DiagramLayout(Kind kind, Scenario scenario, PaneJournal.Snapshot journal, List<WatermarkTrail.Sample> watermarks) {
    this.kind = kind;
    this.scenario = scenario;
    this.journal = journal;
    TreeSet<Instant> eventTimes = new TreeSet<>();
    TreeSet<Instant> seen = new TreeSet<>();
    for (PaneJournal.Pane pane : journal.panes()) {
      eventTimes.add(Instant.parse(pane.row().windowStart()));
      eventTimes.add(Instant.parse(pane.row().windowEnd()));
      seen.add(pane.at());
    }
    for (PaneJournal.Arrival arrival : journal.arrivals()) {
      eventTimes.add(arrival.eventTime());
      seen.add(arrival.at());
    }
    if (kind == Kind.SCENARIO) {
      eventTimes.add(scenario.baseTime());
    }
    Instant first = eventTimes.isEmpty() ? Instant.EPOCH : eventTimes.first();
    Instant last = eventTimes.isEmpty() ? first.plusSeconds(60) : eventTimes.last();
    if (!last.isAfter(first)) {
      last = first.plusSeconds(60);
    }
    boolean elementLast = journal.arrivals().stream().anyMatch(a -> !a.eventTime().isBefore(eventTimes.last()));
    if (elementLast) {
      // An element beyond every window drawn so far (its window has not fired yet): leave room to its right.
      last = last.plus(Duration.between(first, last).dividedBy(12));
    }
    this.eventFrom = first;
    this.eventTo = last;
    Instant journalFrom = seen.isEmpty() ? Instant.MIN : seen.first();
    this.watermarks = kind != Kind.LIVE ? List.of()
        : watermarks.stream().filter(sample -> !sample.at().isBefore(journalFrom)).toList();
    this.watermarks.forEach(sample -> seen.add(sample.at()));
    this.atFrom = seen.isEmpty() ? Instant.EPOCH : seen.first();
    this.atTo = seen.isEmpty() ? atFrom.plusSeconds(1) : seen.last();
  }

  Kind kind() {
    return kind;
  }

  Scenario scenario() {
    return scenario;
  }

  Instant eventFrom() {
    return eventFrom;
  }

  Instant eventTo() {
    return eventTo;
  }

  /** The users in the journal, sorted. */
  List<String> users() {
    TreeSet<String> users = new TreeSet<>();
    journal.arrivals().forEach(a -> users.add(a.key()));
    journal.panes().forEach(p -> users.add(p.row().key()));
    return List.copyOf(users);
  }

  /** Horizontal position of an event time, clamped to the plot. */
  double x(Instant eventTime) {
    double span = Duration.between(eventFrom, eventTo).toMillis();
    double offset = Duration.between(eventFrom, eventTime).toMillis();
    return GUTTER + Math.max(0, Math.min(1, offset / span)) * PLOT_WIDTH;
  }

  /** Height of one user's panel. */
  double panelHeight() {
    return switch (kind) {
      case SCENARIO -> scenario.steps().size() * STEP_HEIGHT;
      case LIVE -> LIVE_HEIGHT;
      case BOUNDED -> LANE_HEIGHT;
    };
  }

  /**
   * The scenario step during which something seen at {@code at} happened: the first step whose marker passed at or
   * after it (markers pass once everything their step caused is done), else the last step (the final
   * {@code watermark: end} has no marker).
   */
  int step(Instant at) {
    for (Map.Entry<Integer, Instant> done : journal.stepsDone().entrySet()) {
      if (!done.getValue().isBefore(at)) {
        return done.getKey();
      }
    }
    return scenario.steps().get(scenario.steps().size() - 1).number();
  }

  /** Vertical position (within a panel) of something seen at {@code at}. */
  double y(Instant at) {
    return switch (kind) {
      case SCENARIO -> stepY(step(at));
      case LIVE -> {
        double span = Math.max(1, Duration.between(atFrom, atTo).toNanos() / 1e6);
        yield 12 + (Duration.between(atFrom, at).toNanos() / 1e6) / span * (LIVE_HEIGHT - 24);
      }
      case BOUNDED -> LANE_HEIGHT / 2;
    };
  }

  /** The middle of a scenario step's row (steps numbered from 1). */
  double stepY(int step) {
    return (step - 0.5) * STEP_HEIGHT;
  }

  List<PaneMark> panes(String user) {
    List<PaneMark> marks = new ArrayList<>();
    for (PaneJournal.Pane pane : journal.panes()) {
      if (pane.row().key().equals(user)) {
        ResultRow row = pane.row();
        marks.add(new PaneMark(row, x(Instant.parse(row.windowStart())), x(Instant.parse(row.windowEnd())),
            y(pane.at()), kind == Kind.SCENARIO ? step(pane.at()) : 0, pane.at()));
      }
    }
    return marks;
  }

  List<ElementMark> elements(String user) {
    List<ElementMark> marks = new ArrayList<>();
    for (PaneJournal.Arrival arrival : journal.arrivals()) {
      if (arrival.key().equals(user)) {
        marks.add(new ElementMark(arrival, x(arrival.eventTime()), y(arrival.at()),
            kind == Kind.SCENARIO ? step(arrival.at()) : 0));
      }
    }
    return marks;
  }

  /**
   * The watermark as a staircase. A scenario's moves across in the middle of each watermark step's row, to where
   * the script put it (the left edge before any watermark step, the right edge after {@code watermark: end}); a
   * live job's follows the samples read while it ran ({@link #liveWatermark()}). None for bounded input.
   */
  List<Point> watermark() {
    List<Point> points = new ArrayList<>();
    if (kind == Kind.LIVE) {
      return liveWatermark();
    }
    if (kind != Kind.SCENARIO) {
      return points;
    }
    double x = GUTTER;
    for (Scenario.Step step : scenario.steps()) {
      double top = (step.number() - 1) * STEP_HEIGHT;
      points.add(new Point(x, top));
      if (step instanceof Scenario.AdvanceWatermark watermark) {
        points.add(new Point(x, top + STEP_HEIGHT / 2));
        x = watermark.toEnd() ? GUTTER + PLOT_WIDTH : x(Instant.ofEpochMilli(watermark.toMillis()));
        points.add(new Point(x, top + STEP_HEIGHT / 2));
      }
      points.add(new Point(x, top + STEP_HEIGHT));
    }
    return points;
  }

  /**
   * A live job's watermark as a staircase against wall-clock time: it holds where it was read until the next read
   * found it further on. A pane fires ON_TIME in the step where the line crosses its window's end.
   */
  private List<Point> liveWatermark() {
    List<Point> points = new ArrayList<>();
    Double x = null;
    for (WatermarkTrail.Sample sample : watermarks) {
      double y = y(sample.at());
      if (x != null) {
        points.add(new Point(x, y));
      }
      x = x(Instant.ofEpochMilli(sample.watermarkMillis())); // clamped: a drained job's goes to the right edge
      points.add(new Point(x, y));
    }
    return points;
  }

  /** Window boundaries for the grid: every window bound drawn, in order. */
  List<Instant> windowBounds() {
    TreeSet<Instant> bounds = new TreeSet<>();
    for (PaneJournal.Pane pane : journal.panes()) {
      bounds.add(Instant.parse(pane.row().windowStart()));
      bounds.add(Instant.parse(pane.row().windowEnd()));
    }
    return List.copyOf(bounds);
  }

  /** Wall-clock range of a live panel's vertical axis. */
  Instant atFrom() {
    return atFrom;
  }

  Instant atTo() {
    return atTo;
  }
}
