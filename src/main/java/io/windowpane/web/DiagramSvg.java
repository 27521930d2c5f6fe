package io.windowpane.web;

import io.windowpane.pipeline.ResultRow;
import io.windowpane.source.Scenario;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Draws a {@link DiagramLayout} as SVG: one panel per user, windows as columns, elements as dots, the watermark as a
 * line and each fired pane as a box across its window labelled with its timing, count and sum. Every pane, element
 * and the watermark carry a class ({@code pane}, {@code element}, {@code watermark}) and data attributes, so a
 * browser test can find them.
 */
final class DiagramSvg {

  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
  private static final double TOP = 46;
  private static final double PANEL_GAP = 42;

  private DiagramSvg() {}

  /** @param label how a user (a key) is named on the page */
  static String render(DiagramLayout layout, List<String> users, java.util.function.UnaryOperator<String> label) {
    double panel = layout.panelHeight();
    double panelsHeight = layout.kind() == DiagramLayout.Kind.BOUNDED
        ? users.size() * panel
        : users.size() * (panel + PANEL_GAP);
    double width = DiagramLayout.GUTTER + DiagramLayout.PLOT_WIDTH + 60;
    double height = TOP + panelsHeight + 20;
    StringBuilder svg = new StringBuilder();
    svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"pane-diagram\" "
        + "width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\" font-size=\"12\">%n",
        width, height, width, height));
    eventAxis(svg, layout, height);
    if (layout.kind() == DiagramLayout.Kind.BOUNDED) {
      for (int i = 0; i < users.size(); i++) {
        lane(svg, layout, users.get(i), label.apply(users.get(i)), TOP + i * panel);
      }
    } else {
      for (int i = 0; i < users.size(); i++) {
        panel(svg, layout, users.get(i), label.apply(users.get(i)), TOP + i * (panel + PANEL_GAP) + PANEL_GAP - 10);
      }
    }
    svg.append("</svg>\n");
    return svg.toString();
  }

  /** Event time along the top, with a grid line at every window bound. */
  private static void eventAxis(StringBuilder svg, DiagramLayout layout, double height) {
    svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"14\" font-weight=\"bold\">event time (UTC) &#8594;</text>%n",
        DiagramLayout.GUTTER));
    for (Instant bound : layout.windowBounds()) {
      double x = layout.x(bound);
      svg.append(String.format(Locale.ROOT,
          "<line class=\"window-bound\" x1=\"%.1f\" y1=\"40\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ccc\" "
              + "stroke-dasharray=\"3,3\"/><text x=\"%.1f\" y=\"34\" text-anchor=\"middle\" fill=\"#555\">%s</text>%n",
          x, x, height - 10, x, CLOCK.format(bound)));
    }
  }

  /** A stream panel: steps or wall-clock time downwards, elements, watermark, panes. */
  private static void panel(StringBuilder svg, DiagramLayout layout, String user, String label, double top) {
    double height = layout.panelHeight();
    svg.append(String.format(Locale.ROOT, "<g class=\"user-panel\" data-user=\"%s\" transform=\"translate(0,%.1f)\">%n",
        escape(user), top));
    svg.append(String.format(Locale.ROOT, "<text x=\"4\" y=\"-8\" font-weight=\"bold\">%s</text>%n", escape(label)));
    svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"0\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" "
        + "stroke=\"#999\"/>%n", DiagramLayout.GUTTER, DiagramLayout.PLOT_WIDTH, height));
    processingAxis(svg, layout, height);
    List<DiagramLayout.Point> watermark = layout.watermark();
    if (!watermark.isEmpty()) {
      StringBuilder points = new StringBuilder();
      for (DiagramLayout.Point p : watermark) {
        points.append(String.format(Locale.ROOT, "%.1f,%.1f ", p.x(), p.y()));
      }
      svg.append("<polyline class=\"watermark\" fill=\"none\" stroke=\"#2a7\" stroke-width=\"2\" points=\"")
          .append(points.toString().trim()).append("\"><title>watermark</title></polyline>\n");
    }
    for (DiagramLayout.PaneMark pane : layout.panes(user)) {
      paneBox(svg, pane, pane.y() - 10, 20);
    }
    for (DiagramLayout.ElementMark element : layout.elements(user)) {
      PaneJournal.Arrival arrival = element.arrival();
      svg.append(String.format(Locale.ROOT,
          "<g class=\"element\" data-user=\"%s\" data-event-time=\"%s\" data-step=\"%d\">"
              + "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"#333\"/>"
              + "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" fill=\"#333\">%s</text>"
              + "<title>%s at %s, amount %s, read %s</title></g>%n",
          escape(arrival.key()), arrival.eventTime(), element.step(), element.x(), element.y(), element.x() + 7,
          element.y() - 6, amount(arrival.amount()), escape(arrival.key()), arrival.eventTime(),
          amount(arrival.amount()), arrival.at()));
    }
    svg.append("</g>\n");
  }

  /** Left of a panel: the scenario's steps, or wall-clock times, top to bottom. */
  private static void processingAxis(StringBuilder svg, DiagramLayout layout, double height) {
    if (layout.kind() == DiagramLayout.Kind.SCENARIO) {
      for (Scenario.Step step : layout.scenario().steps()) {
        double y = layout.stepY(step.number());
        svg.append(String.format(Locale.ROOT, "<text class=\"step\" x=\"4\" y=\"%.1f\" fill=\"#555\">%d. %s</text>"
            + "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>%n", y + 4, step.number(),
            escape(describe(step)), DiagramLayout.GUTTER, y + DiagramLayout.STEP_HEIGHT / 2,
            DiagramLayout.GUTTER + DiagramLayout.PLOT_WIDTH, y + DiagramLayout.STEP_HEIGHT / 2));
      }
    } else {
      svg.append(String.format(Locale.ROOT, "<text x=\"4\" y=\"14\" fill=\"#555\">read/fired %s</text>"
          + "<text x=\"4\" y=\"%.1f\" fill=\"#555\">%s &#8595;</text>%n", CLOCK.format(layout.atFrom()), height - 4,
          CLOCK.format(layout.atTo())));
    }
  }

  /** A bounded job: one lane per user, each window's final pane. */
  private static void lane(StringBuilder svg, DiagramLayout layout, String user, String label, double top) {
    svg.append(String.format(Locale.ROOT, "<g class=\"user-panel\" data-user=\"%s\" transform=\"translate(0,%.1f)\">"
        + "<text x=\"4\" y=\"%.1f\" font-weight=\"bold\">%s</text>%n", escape(user), top,
        DiagramLayout.LANE_HEIGHT / 2 + 4, escape(label)));
    // Each window's last pane: its final totals (rows read back from a stream job's output have several).
    Map<String, DiagramLayout.PaneMark> last = new LinkedHashMap<>();
    for (DiagramLayout.PaneMark pane : layout.panes(user)) {
      last.merge(pane.row().windowStart() + "/" + pane.row().windowEnd(), pane,
          (a, b) -> b.row().paneIndex() >= a.row().paneIndex() ? b : a);
    }
    for (DiagramLayout.PaneMark pane : last.values()) {
      paneBox(svg, pane, 6, DiagramLayout.LANE_HEIGHT - 12);
    }
    svg.append("</g>\n");
  }

  private static void paneBox(StringBuilder svg, DiagramLayout.PaneMark pane, double y, double height) {
    ResultRow row = pane.row();
    String label = row.paneTiming() + " " + row.count() + " / " + amount(row.sumAmount());
    svg.append(String.format(Locale.ROOT,
        "<g class=\"pane pane-%s\" data-user=\"%s\" data-timing=\"%s\" data-window-start=\"%s\" data-step=\"%d\" "
            + "data-count=\"%d\" data-sum=\"%s\"><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"3\" "
            + "fill=\"%s\" fill-opacity=\"0.85\"/><text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#fff\">%s"
            + "</text><title>%s pane %d%s%s of %s [%s, %s): count %d, sum %s, fired %s</title></g>%n",
        row.paneTiming(), escape(row.key()), row.paneTiming(), row.windowStart(), pane.step(), row.count(),
        amount(row.sumAmount()), pane.x1() + 3, y, Math.max(4, pane.x2() - pane.x1() - 6), height,
        color(row.paneTiming()), (pane.x1() + pane.x2()) / 2, y + height / 2 + 4, escape(label), row.paneTiming(),
        row.paneIndex(), row.paneIsFirst() ? ", first" : "", row.paneIsLast() ? ", last" : "", escape(row.key()),
        row.windowStart(), row.windowEnd(), row.count(), amount(row.sumAmount()), pane.at()));
  }

  static String describe(Scenario.Step step) {
    if (step instanceof Scenario.AddElements add) {
      return "add " + add.lines().size() + " element" + (add.lines().size() == 1 ? "" : "s");
    }
    if (step instanceof Scenario.AdvanceWatermark watermark) {
      return watermark.toEnd() ? "watermark \u2192 end"
          : "watermark \u2192 " + CLOCK.format(Instant.ofEpochMilli(watermark.toMillis()));
    }
    Scenario.AdvanceProcessingTime time = (Scenario.AdvanceProcessingTime) step;
    return "processing time +" + amount(time.millis() / 1000.0) + " s";
  }

  private static String color(String timing) {
    return switch (timing) {
      case "EARLY" -> "#d98c00";
      case "ON_TIME" -> "#2b6cb0";
      case "LATE" -> "#c53030";
      default -> "#666";
    };
  }

  /** An amount or sum exactly, in its shortest form for a label (35.0 -> 35, 12.50 -> 12.5), never rounded. */
  static String amount(BigDecimal value) {
    return value.stripTrailingZeros().toPlainString();
  }

  static String amount(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15 ? String.valueOf((long) value)
        : String.format(Locale.ROOT, "%.2f", value);
  }

  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
