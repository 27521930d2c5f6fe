package io.windowpane.sink;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.windowpane.pipeline.Event;
import io.windowpane.pipeline.ResultRow;
import io.windowpane.pipeline.PipelineMetrics;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/**
 * Reports what the job really did to the pane diagram ({@link PageFeedOptions#getPageFeed()}): each element
 * becomes a JSON record stamped with the wall-clock time it passed this step ({@code at}, epoch microseconds), and
 * the records of a bundle are posted together, off the pipeline's threads, when it finishes. A no-op when the option
 * is empty (no web server, a remote cluster whose workers cannot reach the application).
 *
 * <p>The diagram is a view, not an output: what cannot be posted is counted and logged once per worker, and the job
 * goes on.
 */
public class ReportToPage<T> extends PTransform<PCollection<T>, PDone> {

  /** Arrivals of a live input reported per worker and second at most; the page says they are sampled. */
  public static final int MAX_ARRIVALS_PER_SECOND = 200;

  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
          .nodeFactory(JsonNodeFactory.withExactBigDecimals(true)) // 35.0 stays 35.0 on its way to the page
          .build();

  /**
   * Panes of a bounded input reported per worker at most: the page keeps 2,000 and draws a batch job's final totals
   * (posting all 144,000 rows of a 1M-event run cost about 2 s of its 14).
   */
  public static final int MAX_BOUNDED_PANES = 2_000;

  private final String kind;
  private final SerializableFunction<T, ObjectNode> fields;
  private final int maxPerSecond;
  private final long maxInAll;

  private ReportToPage(String kind, SerializableFunction<T, ObjectNode> fields, int maxPerSecond, long maxInAll) {
    this.kind = kind;
    this.fields = fields;
    this.maxPerSecond = maxPerSecond;
    this.maxInAll = maxInAll;
  }

  /**
   * Fired panes: the result row's SPEC section 5 fields; for a bounded input at most {@link #MAX_BOUNDED_PANES} per
   * worker.
   */
  public static ReportToPage<ResultRow> panes(boolean bounded) {
    return new ReportToPage<>("pane", row -> JSON.valueToTree(row), Integer.MAX_VALUE,
        bounded ? MAX_BOUNDED_PANES : Long.MAX_VALUE);
  }

  /** Elements read: user, event time and amount. */
  public static ReportToPage<Event> arrivals(boolean sampled) {
    return new ReportToPage<>("element", ReportToPage::arrival, sampled ? MAX_ARRIVALS_PER_SECOND : Integer.MAX_VALUE,
        Long.MAX_VALUE);
  }

  /** Scenario steps: the step number whose marker passed, once the runner had done all the step caused. */
  public static ReportToPage<Integer> scenarioSteps() {
    return new ReportToPage<>("step", step -> JSON.createObjectNode().put("step", step), Integer.MAX_VALUE,
        Long.MAX_VALUE);
  }

  private static ObjectNode arrival(Event event) {
    return JSON.createObjectNode()
        .put("user_id", event.key())
        .put("event_time", Instant.ofEpochMilli(event.eventTimeMillis()).toString())
        .put("amount", event.amount());
  }

  @Override
  public PDone expand(PCollection<T> elements) {
    elements.apply("Post", ParDo.of(new PostFn<>(kind, fields, maxPerSecond, maxInAll)));
    return PDone.in(elements.getPipeline());
  }

  /**
   * Collects a bundle's records and hands them to a {@link PagePoster}, which posts them from its own thread: a slow
   * or stopped page never holds the pipeline. What the poster cannot take (its queue is full) or could not deliver
   * is counted ({@code agg.diagram.records.dropped}).
   */
  static class PostFn<T> extends DoFn<T, Void> {

    /** Post early past this many records, so a huge bundle does not hold them all. */
    private static final int MAX_BATCH = 1_000;

    private final String kind;
    private final SerializableFunction<T, ObjectNode> fields;
    private final int maxPerSecond;
    private final long maxInAll;
    private final Counter dropped = PipelineMetrics.counter(PipelineMetrics.DIAGRAM_RECORDS_DROPPED);
    private transient long reported;
    private transient PagePoster poster;
    private transient ArrayNode batch;
    private transient long second;
    private transient int inSecond;

    PostFn(String kind, SerializableFunction<T, ObjectNode> fields, int maxPerSecond, long maxInAll) {
      this.kind = kind;
      this.fields = fields;
      this.maxPerSecond = maxPerSecond;
      this.maxInAll = maxInAll;
    }

    @StartBundle
    public void startBundle(StartBundleContext context) {
      if (poster == null) {
        String url = context.getPipelineOptions().as(PageFeedOptions.class).getPageFeed();
        poster = url == null || url.isEmpty() ? PagePoster.NONE : new PagePoster(URI.create(url), kind);
      }
      batch = JSON.createArrayNode();
    }

    @ProcessElement
    public void processElement(@Element T element) {
      if (poster == PagePoster.NONE || reported >= maxInAll) {
        return;
      }
      Instant now = Instant.now();
      if (now.getEpochSecond() != second) {
        second = now.getEpochSecond();
        inSecond = 0;
      }
      if (++inSecond > maxPerSecond) {
        return;
      }
      reported++;
      ObjectNode record = fields.apply(element);
      record.put("kind", kind);
      record.put("at", now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000);
      batch.add(record);
      if (batch.size() >= MAX_BATCH) {
        handOver();
      }
    }

    @FinishBundle
    public void finishBundle() {
      handOver();
    }

    private void handOver() {
      if (!batch.isEmpty() && !poster.offer(batch)) {
        dropped.inc(batch.size());
      }
      dropped.inc(poster.takeFailed()); // posts that failed on the poster's thread since the last bundle
      batch = JSON.createArrayNode();
    }

    /** The records still queued are posted before the worker lets this instance go (at the latest, the job's end). */
    @Teardown
    public void teardown() {
      if (poster != null) {
        poster.close();
      }
    }
  }

  static byte[] json(ArrayNode records) throws IOException {
    return JSON.writeValueAsBytes(records);
  }
}
