package io.windowpane.web;

import io.windowpane.config.AggProperties;
import io.windowpane.job.JobState;
import io.windowpane.job.JobStatus;
import io.windowpane.job.PipelineFactory;
import io.windowpane.metrics.JobFigures;
import io.windowpane.metrics.JobMetrics;
import io.windowpane.metrics.WatermarkTrail;
import io.windowpane.pipeline.AggregationSpec;
import io.windowpane.sink.ReportToPage;
import io.windowpane.runner.RunnerChoice;
import io.windowpane.source.JobInput;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The pane diagram of this application's job (SPEC section 12) as an HTML page: a summary of the job, a user
 * selector and the SVG drawn by {@link DiagramSvg} from what the pipeline reported ({@link PaneJournal}). The same
 * page is served at {@code GET /} (refreshing itself while the job runs) and written as a file when the job ends.
 */
@Component
public class DiagramPage {

  /** Users drawn together before the page shows one at a time by default. */
  static final int STACKED_USERS = 8;

  private final AggProperties properties;
  private final JobInput input;
  private final RunnerChoice runner;
  private final PipelineFactory factory;
  private final PaneJournal journal;
  private final JobState state;
  private final JobMetrics metrics;
  private final WatermarkTrail watermarks;
  private final String template;

  public DiagramPage(AggProperties properties, JobInput input, RunnerChoice runner, PipelineFactory factory,
      PaneJournal journal, JobState state, JobMetrics metrics, WatermarkTrail watermarks) {
    this.properties = properties;
    this.input = input;
    this.runner = runner;
    this.factory = factory;
    this.journal = journal;
    this.state = state;
    this.metrics = metrics;
    this.watermarks = watermarks;
    this.template = resource("/diagram/page.html");
  }

  /** What the page shows right now: the summary, what the axes mean, the drawing and its users. */
  public record View(String status, boolean running, String summary, String axes, String svg, List<String> users,
      String selected) {}

  /** The diagram of the job as it is now. */
  public View view() {
    return view(state.status(), state.failure());
  }

  private View view(JobStatus status, String failure) {
    PaneJournal.Snapshot snapshot = journal.snapshot();
    DiagramLayout layout = new DiagramLayout(kind(snapshot), input.scenario(), snapshot, watermarks.samples());
    List<String> users = layout.users();
    String selected = users.size() <= STACKED_USERS || users.isEmpty() ? "" : users.get(0);
    return new View(status.name(), !status.isTerminal(), summary(layout, snapshot, users, status, failure),
        axes(layout.kind()), DiagramSvg.render(layout, users, this::label), users, selected);
  }

  /** How a key is named on the page: {@code user u1}, or its fields by name (SPEC section 14). */
  private String label(String key) {
    return factory.rowFormat().keyLabel(key);
  }

  /** The page served at {@code /}: it refreshes itself from {@code /api/diagram} while the job runs. */
  public String html() {
    return html(view(), true);
  }

  /** The page as a standalone file, for a job that has just ended with {@code status}. */
  public String standaloneHtml(JobStatus status, String failure) {
    return html(view(status, failure), false);
  }

  private String html(View view, boolean live) {
    StringBuilder options = new StringBuilder("<option value=\"\">all users</option>");
    for (String user : view.users()) {
      options.append("<option value=\"").append(DiagramSvg.escape(user)).append("\"")
          .append(user.equals(view.selected()) ? " selected" : "").append(">").append(DiagramSvg.escape(factory.rowFormat().keyText(user)))
          .append("</option>");
    }
    return template
        .replace("{{title}}", "windowpane: " + DiagramSvg.escape(jobTitle()))
        .replace("{{summary}}", view.summary())
        .replace("{{options}}", options)
        .replace("{{svg}}", view.svg())
        .replace("{{axes}}", view.axes())
        .replace("{{live}}", String.valueOf(live && view.running()));
  }

  /** How processing is drawn; rows read back from the output after the job carry no processing times. */
  DiagramLayout.Kind kind(PaneJournal.Snapshot snapshot) {
    if (snapshot.readBack()) {
      return DiagramLayout.Kind.BOUNDED;
    }
    if (input.scenario() != null && !runner.flink()) {
      return DiagramLayout.Kind.SCENARIO;
    }
    if (input.scenario() != null) {
      return DiagramLayout.Kind.LIVE; // see the note in the summary
    }
    return properties.runsUntilStopped() ? DiagramLayout.Kind.LIVE : DiagramLayout.Kind.BOUNDED;
  }

  private String jobTitle() {
    return properties.mode().name().toLowerCase() + " job on the " + runner.name()
        + " runner: " + input.description();
  }

  private String summary(DiagramLayout layout, PaneJournal.Snapshot snapshot, List<String> users, JobStatus status,
      String failure) {
    AggregationSpec spec = factory.aggregationSpec();
    JobFigures figures = metrics.figures();
    StringBuilder html = new StringBuilder();
    html.append("<p><b>").append(DiagramSvg.escape(jobTitle())).append("</b></p>");
    html.append("<p>").append(DiagramSvg.escape(spec.window().describe())).append(", allowed lateness ")
        .append(spec.allowedLateness()).append(", early firings ")
        .append(spec.earlyDelay().isZero() ? "off" : "after " + spec.earlyDelay()).append(", late firings ")
        .append(spec.lateDelay().isZero() ? "on every late element" : "after " + spec.lateDelay()).append(", ")
        .append(spec.accumulating() ? "accumulating" : "discarding").append(" panes.</p>");
    html.append("<p>Job <b id=\"job-status\">").append(status).append("</b>")
        .append(failure != null ? ": " + DiagramSvg.escape(failure) : "")
        .append(". ").append(Math.max(snapshot.panesSeen(), figures.totalPanes())).append(" panes fired for ")
        .append(users.size()).append(" users");
    if (figures.eventsRead() > 0 || !status.isTerminal()) {
      html.append("; ").append(figures.eventsRead()).append(" events read, ").append(figures.eventsInvalid())
          .append(" rejected, ").append(figures.lateDropped()).append(" too late");
    }
    html.append(".</p>");
    if (figures.lateDropped() > 0) {
      html.append("<p class=\"note\">An event that comes after its window's end plus the allowed lateness is drawn"
          + " where it arrived, but is in no pane: it is kept in the dead-letter output (").append(
          DiagramSvg.escape(factory.outputs().deadLetterDescription())).append("), its reason starting"
          + " <code>late:</code> and naming the window it missed and the watermark then.</p>");
    }
    long fired = Math.max(snapshot.panesSeen(), figures.totalPanes());
    if (fired > snapshot.panes().size()) {
      html.append("<p class=\"note\">Showing ").append(snapshot.panes().size()).append(" of ").append(fired)
          .append(" panes (the page keeps the newest ").append(PaneJournal.MAX_PANES)
          .append("; a bounded job reports at most ").append(ReportToPage.MAX_BOUNDED_PANES)
          .append(" per worker). All rows are in the job's output.</p>");
    }
    if (layout.kind() == DiagramLayout.Kind.LIVE && input.scenario() != null) {
      html.append("<p class=\"note\">On Flink a scenario's source runs ahead of the pipeline instead of waiting for"
          + " each step's work to finish, so the step in which a pane fired cannot be observed: processing is drawn"
          + " as wall-clock time, with the watermark Flink reported.</p>");
    } else if (layout.kind() == DiagramLayout.Kind.LIVE) {
      html.append("<p class=\"note\">Arrivals are sampled (at most ").append(ReportToPage.MAX_ARRIVALS_PER_SECOND)
          .append(" per worker and second; ").append(snapshot.arrivalsSeen()).append(" drawn so far).</p>");
    }
    if (layout.kind() == DiagramLayout.Kind.LIVE) {
      html.append("<p class=\"note\">The green staircase is the aggregation's input watermark, read every second"
          + " (").append(watermarkNow(figures)).append("): a window's ON_TIME pane fires when the line crosses its"
          + " end; an element left of the line when it is read is late.</p>");
    } else if (layout.kind() == DiagramLayout.Kind.BOUNDED) {
      html.append("<p class=\"note\">No watermark is drawn: a bounded input's watermark stays at its minimum until"
          + " the whole input is read and then jumps past every window, so each window fires once, ON_TIME, and"
          + " nothing is late.</p>");
    }
    if (factory.reportsToPage()) {
      return html.toString();
    }
    html.append("<p class=\"note\">This job runs on a remote cluster, whose workers cannot report to this page: "
        + "it shows nothing while the job runs. When the job has ended, the page draws the rows read back from its "
        + "output (").append(DiagramSvg.escape(factory.outputs().resultsDescription())).append("), each window's "
        + "last pane, without processing times; with results on stdout there is nothing to read back.</p>");
    return html.toString();
  }

  private static String watermarkNow(JobFigures figures) {
    Long watermark = figures.watermarkMillis();
    if (watermark == null) {
      return "none yet";
    }
    return figures.watermarkPastEveryWindow() ? "now past every window"
        : "now " + java.time.Instant.ofEpochMilli(watermark);
  }

  private static String axes(DiagramLayout.Kind kind) {
    return switch (kind) {
      case SCENARIO -> "Across: event time, when each event happened (the windows are the columns). Down: the "
          + "scenario's steps in the order the runner executed them. A dot is an element, drawn at its event time in "
          + "the step that added it. The green line is the watermark the scenario set. A box is a fired pane, across "
          + "its window, in the step during which the job emitted it, labelled with its timing, count and sum.";
      case LIVE -> "Across: event time, when each event happened (the windows are the columns). Down: wall-clock "
          + "time, when the job read each element (dot) and emitted each pane (box across its window, labelled with "
          + "its timing, count and sum); newest at the bottom. The green line is the watermark as the job reported "
          + "it.";
      case BOUNDED -> "Across: event time. One lane per user; each box is a window's final (ON_TIME) pane with its "
          + "count and sum. A bounded input is read whole before the watermark moves, so processing time says "
          + "nothing here and is not drawn.";
    };
  }

  private static String resource(String path) {
    try (InputStream in = DiagramPage.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException(path + " is missing from the application");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
