package io.windowpane.runner;

import com.fasterxml.jackson.databind.JsonNode;
import io.windowpane.metrics.JobFigures;
import io.windowpane.metrics.LiveFigures;
import io.windowpane.pipeline.PipelineMetrics;
import io.windowpane.pipeline.KeyWindowAggregation;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A Flink job's figures while it runs, from the cluster's REST API (the one behind Flink's web dashboard).
 *
 * <p>Why: Beam's FlinkRunner returns from {@code run()} only when the job has ended, and only then reports its
 * metrics. Flink has them all along: Beam keeps each of its counters and distributions as a Flink metric of the
 * operator that counts (updated after every bundle), and the REST API lists them per job vertex and sums counters
 * over the vertex's subtasks. A metric's id there is {@code <operator>.<namespace>_<name>} (Flink replaces the dots
 * in Beam's {@code namespace.name}).
 */
final class FlinkRestFigures implements LiveFigures {

  private static final Pattern DISTRIBUTION_MAX = Pattern.compile("max=(-?\\d+)");
  private static final String WINDOWPANE_PREFIX = PipelineMetrics.NAMESPACE + "_";

  private final FlinkRestClient rest;
  private final String jobName;

  /**
   * @param rest the cluster's REST address, such as {@code http://127.0.0.1:8081}
   * @param jobName the job's name (Beam's {@code --jobName}): a cluster may run other jobs
   */
  FlinkRestFigures(URI rest, String jobName) {
    this.rest = new FlinkRestClient(rest);
    this.jobName = jobName;
  }

  @Override
  public Optional<JobFigures> read() {
    try {
      Optional<String> running = rest.runningJob(jobName);
      if (running.isEmpty()) {
        return Optional.empty();
      }
      String job = running.get();
      JobFigures.Sum sum = new JobFigures.Sum();
      for (JsonNode vertex : rest.get("/jobs/" + job).path("vertices")) {
        String path = "/jobs/" + job + "/vertices/" + vertex.path("id").asText();
        addVertex(sum, path, vertex.path("parallelism").asInt());
        if (isGrouping(vertex.path("name").asText())) {
          addWatermarks(sum, rest, path);
        }
      }
      return Optional.of(sum.figures());
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // not up yet, or ended: the final figures come from the result
    }
  }

  private void addVertex(JobFigures.Sum sum, String vertex, int parallelism) throws IOException {
    List<String> counters = new ArrayList<>();
    List<String> distributions = new ArrayList<>();
    for (JsonNode metric : rest.get(vertex + "/subtasks/metrics")) {
      String id = metric.path("id").asText();
      String name = beamName(id);
      if (name == null || name.startsWith(PipelineMetrics.WATERMARK_PREFIX)) {
        continue; // the watermark is Flink's own (above)
      }
      (name.equals(PipelineMetrics.EVENT_TIME) ? distributions : counters).add(id);
    }
    if (!counters.isEmpty()) {
      for (JsonNode value : rest.get(vertex + "/subtasks/metrics?agg=sum&get=" + ids(counters))) {
        String name = beamName(value.path("id").asText());
        sum.counter(namespaceOf(name), name, (long) value.path("sum").asDouble());
      }
    }
    // A distribution is a gauge of text per subtask ("DistributionResult{sum=.., count=.., min=.., max=..}").
    for (int subtask = 0; subtask < parallelism && !distributions.isEmpty(); subtask++) {
      for (JsonNode value : rest.get(vertex + "/subtasks/" + subtask + "/metrics?get=" + ids(distributions))) {
        Matcher max = DISTRIBUTION_MAX.matcher(value.path("value").asText());
        if (max.find() && !value.path("value").asText().contains("count=0")) {
          sum.distributionMax(PipelineMetrics.NAMESPACE, PipelineMetrics.EVENT_TIME, Long.parseLong(max.group(1)));
        }
      }
    }
  }

  /**
   * Whether a job vertex starts with the aggregation's grouping: its input watermark is the one that fires panes. A
   * vertex's name is its chained operators' names, {@code "first -> second"}; Beam names an operator after its
   * step's full name.
   */
  static boolean isGrouping(String vertexName) {
    String first = vertexName.split(" -> ", 2)[0];
    return first.contains("/" + KeyWindowAggregation.GROUPING_STEP);
  }

  /** The input watermark of each of the vertex's subtasks (Flink's {@code currentInputWatermark}, epoch ms). */
  private static void addWatermarks(JobFigures.Sum sum, FlinkRestClient rest, String vertex) throws IOException {
    for (JsonNode subtask : rest.get(vertex + "/watermarks")) {
      sum.watermark(Long.parseLong(subtask.path("value").asText(String.valueOf(Long.MIN_VALUE))));
    }
  }

  /**
   * The Beam metric name in a Flink metric id, for the metrics windowpane reports and the runners' late-drop
   * counter; null for any other.
   */
  static String beamName(String id) {
    String metric = id.substring(id.lastIndexOf('.') + 1);
    if (metric.startsWith(WINDOWPANE_PREFIX)) {
      return metric.substring(WINDOWPANE_PREFIX.length());
    }
    return metric.toLowerCase().endsWith(PipelineMetrics.DROPPED_DUE_TO_LATENESS.toLowerCase())
        ? PipelineMetrics.DROPPED_DUE_TO_LATENESS : null;
  }

  private static String namespaceOf(String name) {
    return name.equals(PipelineMetrics.DROPPED_DUE_TO_LATENESS) ? "" : PipelineMetrics.NAMESPACE;
  }

  private static String ids(List<String> ids) {
    return ids.stream().map(id -> URLEncoder.encode(id, StandardCharsets.UTF_8)).collect(Collectors.joining(","));
  }
}
