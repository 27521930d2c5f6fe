package io.windowpane.job;

import io.windowpane.pipeline.EventMapping;
import io.windowpane.pipeline.RowFormat;
import io.windowpane.pipeline.RowsToJson;
import io.windowpane.config.AggProperties;
import io.windowpane.config.InvalidJobSpecException;
import io.windowpane.pipeline.AggregationSpec;
import io.windowpane.pipeline.Event;
import io.windowpane.pipeline.InvalidLine;
import io.windowpane.pipeline.ResultRow;
import io.windowpane.pipeline.ParseEvents;
import io.windowpane.pipeline.SplitOffLateEvents;
import io.windowpane.pipeline.ToJsonLines;
import io.windowpane.pipeline.WindowShape;
import io.windowpane.pipeline.KeyWindowAggregation;
import io.windowpane.pipeline.WindowInfo;
import io.windowpane.runner.RunnerOptions;
import io.windowpane.sink.JobOutputs;
import io.windowpane.sink.PageFeed;
import io.windowpane.sink.PageFeedOptions;
import io.windowpane.sink.ReportToPage;
import io.windowpane.source.JobInput;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.transforms.Flatten;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Turns the configuration into a ready Beam {@link Pipeline}: the input's events (read and parsed), the unified
 * {@link KeyWindowAggregation}, {@link WindowInfo} and the sinks, with the runner's options
 * ({@link RunnerOptions}). Pure assembly: it runs nothing.
 */
@Component
public class PipelineFactory {

  private static final Logger LOG = LoggerFactory.getLogger(PipelineFactory.class);

  private final AggProperties properties;
  /** Built once at startup: bad window settings stop the application there, no-effect ones are reported once. */
  private final AggregationSpec aggregationSpec;
  private final JobInput input;
  private final JobOutputs outputs;
  private final PageFeed pageFeed;
  private final RunnerOptions runnerOptions;
  private final EventMapping mapping;
  /** How rows are written and keys named: one for the pipeline and the page. */
  private final RowFormat rowFormat;

  public PipelineFactory(AggProperties properties, JobInput input, JobOutputs outputs, PageFeed pageFeed,
      RunnerOptions runnerOptions, EventMapping mapping) {
    this.properties = properties;
    this.mapping = mapping;
    this.rowFormat = new RowFormat(mapping);
    this.input = input;
    this.outputs = outputs;
    this.pageFeed = pageFeed;
    this.runnerOptions = runnerOptions;
    this.aggregationSpec = buildAggregationSpec();
  }

  public Pipeline create() {
    PipelineOptions options = runnerOptions.create();
    options.as(PageFeedOptions.class).setPageFeed(reportsToPage() ? pageFeed.url() : "");
    Pipeline pipeline = Pipeline.create(options);
    PCollectionTuple parsed = pipeline.apply("ReadEvents", input.source());
    PCollection<Event> events = parsed.get(ParseEvents.VALID);
    PCollection<InvalidLine> invalid = parsed.get(ParseEvents.INVALID);
    if (!aggregationSpec.boundedInput()) {
      // The diagram draws a stream's elements where and when they arrived; a bounded input's only its totals.
      events.apply("ReportArrivals", ReportToPage.arrivals(properties.runsUntilStopped()));
      // A live input's events that come too late for their windows are kept, as dead letters; bounded input is read
      // whole before the watermark moves, so nothing in it is late.
      PCollectionTuple split = events.apply("SplitOffLateEvents",
          new SplitOffLateEvents(aggregationSpec.window(), aggregationSpec.allowedLateness()));
      events = split.get(SplitOffLateEvents.ON_TIME);
      invalid = PCollectionList.of(invalid).and(split.get(SplitOffLateEvents.LATE))
          .apply("AllDeadLetters", Flatten.pCollections());
    }
    PCollection<ResultRow> rows = events
        // (the step keeps its first name: a checkpoint's steps are matched by name, and earlier ones must restore)
        .apply("UserWindowAggregation", new KeyWindowAggregation(aggregationSpec, mapping.keepsRange()))
        .apply("WindowInfo", new WindowInfo(aggregationSpec.boundedInput(), mapping.keepsRange()));
    rows.apply("ResultRowsToJson", new RowsToJson(rowFormat)).apply("WriteResults", outputs.resultsSink());
    rows.apply("ReportPanes", ReportToPage.panes(aggregationSpec.boundedInput()));
    if (outputs.resultsTopic() != null) {
      rows.apply("PublishResults", outputs.resultsTopic().sink(rowFormat::recordKey, rowFormat::toJson));
    }
    if (outputs.deadLetterTopic() != null) {
      invalid.apply("PublishDeadLetters", outputs.deadLetterTopic().<InvalidLine>sink(null));
    } else {
      invalid.apply("InvalidLinesToJson", new ToJsonLines<>())
          .apply("WriteDeadLetters", outputs.deadLetterSink());
    }
    return pipeline;
  }

  /**
   * Whether the pipeline's workers can report to the pane diagram: they can when they run in this JVM; a remote
   * cluster's task managers cannot reach the application's loopback address.
   */
  public boolean reportsToPage() {
    return runnerOptions.workersInThisJvm();
  }

  /** What the job reads, for the logs. */
  public String inputDescription() {
    return input.description();
  }

  /**
   * The aggregation's windowing and triggers. For bounded input the whole input is known before any result: early
   * firings and allowed lateness are left out, so the output cannot depend on machine speed
   * ({@link AggregationSpec#forBoundedInput()}).
   */
  public AggregationSpec aggregationSpec() {
    return aggregationSpec;
  }

  private AggregationSpec buildAggregationSpec() {
    AggProperties.Trigger trigger = properties.trigger();
    AggregationSpec spec =
        new AggregationSpec(
            windowShape(),
            properties.window().allowedLateness(),
            trigger.earlyDelay(),
            trigger.lateDelay(),
            trigger.accumulation() == AggProperties.Accumulation.ACCUMULATING,
            false,
            trigger.closingBehavior() == AggProperties.ClosingBehavior.FIRE_ALWAYS);
    return properties.readsBoundedInput() ? spec.forBoundedInput() : spec;
  }

  /**
   * The configured windows. Cross-property rules (a sliding window needs a period no longer than its size, a
   * session a gap) are checked here, at startup, with the property's name; a property set for a type that does not
   * use it is reported, since it has no effect.
   */
  private WindowShape windowShape() {
    AggProperties.Window window = properties.window();
    return switch (window.type()) {
      case FIXED -> {
        ignored(window.period(), "agg.window.period", "fixed");
        ignored(window.gap(), "agg.window.gap", "fixed");
        yield WindowShape.fixed(window.size());
      }
      case SLIDING -> {
        ignored(window.gap(), "agg.window.gap", "sliding");
        if (window.period() == null) {
          throw new InvalidJobSpecException("agg.window.period", "", "is required with agg.window.type=sliding");
        }
        if (window.period().compareTo(window.size()) > 0) {
          throw new InvalidJobSpecException("agg.window.period", window.period().toString(),
              "must not be longer than agg.window.size (" + window.size() + ")");
        }
        yield WindowShape.sliding(window.size(), window.period());
      }
      case SESSION -> {
        ignored(window.period(), "agg.window.period", "session");
        if (window.gap() == null) {
          throw new InvalidJobSpecException("agg.window.gap", "", "is required with agg.window.type=session");
        }
        yield WindowShape.sessions(window.gap());
      }
    };
  }

  private void ignored(java.time.Duration value, String property, String type) {
    if (value != null) {
      LOG.warn("{} = {} has no effect with agg.window.type={}", property, value, type);
    }
  }

  /** How rows are written and keys named, under the job's event mapping. */
  public RowFormat rowFormat() {
    return rowFormat;
  }

  public JobOutputs outputs() {
    return outputs;
  }
}
