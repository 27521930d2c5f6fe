package io.windowpane.sink;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.windowpane.pipeline.Event;
import io.windowpane.pipeline.ResultRow;
import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Instant;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports what the job really did to the pane diagram ({@link PageFeedOptions#getPageFeed()}): each element
 * becomes a JSON record stamped with the wall-clock time it passed this step ({@code at}, epoch microseconds), and
 * the records of a bundle are posted together when it finishes. A no-op when the option is empty (no web server,
 * a remote cluster whose workers cannot reach the application).
 *
 * <p>The diagram is a view, not an output: a failed post is logged once per worker and the job goes on.
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
        .put("user_id", event.userId())
        .put("event_time", Instant.ofEpochMilli(event.eventTimeMillis()).toString())
        .put("amount", event.amount());
  }

  @Override
  public PDone expand(PCollection<T> elements) {
    elements.apply("Post", ParDo.of(new PostFn<>(kind, fields, maxPerSecond, maxInAll)));
    return PDone.in(elements.getPipeline());
  }

  static class PostFn<T> extends DoFn<T, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(PostFn.class);
    /** Post early past this many records, so a huge bundle does not hold them all. */
    private static final int MAX_BATCH = 1_000;

    private final String kind;
    private final SerializableFunction<T, ObjectNode> fields;
    private final int maxPerSecond;
    private final long maxInAll;
    private transient long reported;
    private transient URI feed;
    private transient ArrayNode batch;
    private transient long second;
    private transient int inSecond;
    private transient boolean failureLogged;

    PostFn(String kind, SerializableFunction<T, ObjectNode> fields, int maxPerSecond, long maxInAll) {
      this.kind = kind;
      this.fields = fields;
      this.maxPerSecond = maxPerSecond;
      this.maxInAll = maxInAll;
    }

    @StartBundle
    public void startBundle(StartBundleContext context) {
      String url = context.getPipelineOptions().as(PageFeedOptions.class).getPageFeed();
      feed = url == null || url.isEmpty() ? null : URI.create(url);
      batch = JSON.createArrayNode();
    }

    @ProcessElement
    public void processElement(@Element T element) {
      if (feed == null || reported >= maxInAll) {
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
        post();
      }
    }

    @FinishBundle
    public void finishBundle() {
      post();
    }

    private void post() {
      if (feed == null || batch.isEmpty()) {
        return;
      }
      // A plain blocking connection, not java.net.http.HttpClient: each HttpClient keeps a selector thread waiting
      // in native code, and the JVM's exit waits up to 300 ms for such threads (seen: every run ended 0.35 s late).
      try {
        HttpURLConnection connection = (HttpURLConnection) feed.toURL().openConnection();
        connection.setConnectTimeout(2_000);
        connection.setReadTimeout(5_000);
        connection.setDoOutput(true);
        connection.setRequestMethod("POST");
        connection.setRequestProperty("Content-Type", "application/json");
        try (OutputStream body = connection.getOutputStream()) {
          JSON.writeValue(body, batch);
        }
        int status = connection.getResponseCode();
        connection.getInputStream().close();
        if (status / 100 != 2) {
          throw new IOException("HTTP " + status);
        }
      } catch (IOException e) {
        failed(e);
      } finally {
        batch = JSON.createArrayNode();
      }
    }

    private void failed(Exception e) {
      if (!failureLogged) {
        failureLogged = true;
        LOG.warn("The pane diagram at {} did not take the {} records of a bundle ({}); the job goes on without it",
            feed, kind, e.toString());
      }
    }
  }
}
