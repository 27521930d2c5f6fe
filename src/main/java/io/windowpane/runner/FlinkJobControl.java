package io.windowpane.runner;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.joda.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a running Flink job through the cluster's REST API, the way Flink's own CLI does: waits until a watermark has
 * reached every operator, then stops the job with a savepoint.
 */
public final class FlinkJobControl {

  private static final Logger LOG = LoggerFactory.getLogger(FlinkJobControl.class);
  private static final long POLL_MILLIS = 200;

  private final FlinkRestClient rest;
  private final String jobName;

  FlinkJobControl(URI rest, String jobName) {
    this.rest = new FlinkRestClient(rest);
    this.jobName = jobName;
  }

  /**
   * Waits until every operator with an input has seen its input watermark reach {@code watermark}: then everything
   * that watermark fires has been handed downstream. False when the job ended or the time ran out first.
   */
  public boolean awaitWatermark(Instant watermark, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String behind = "no answer from Flink's REST API";
    while (System.nanoTime() < deadline) {
      try {
        Optional<String> job = rest.runningJob(jobName);
        if (job.isEmpty()) {
          LOG.warn("The drain: job {} is not running", jobName);
          return false;
        }
        Optional<String> lagging = laggingOperator(job.get(), watermark.getMillis());
        if (lagging.isEmpty()) {
          return true;
        }
        behind = lagging.get();
      } catch (IOException e) {
        LOG.debug("Flink's REST API did not answer", e);
      }
      Thread.sleep(POLL_MILLIS);
    }
    LOG.warn("The drain did not reach every operator: {}", behind);
    return false;
  }

  /** Cancels the job (one without checkpoints, stopped on shutdown); false when none is there (yet). */
  public boolean cancel() throws IOException {
    Optional<String> job = rest.unfinishedJob(jobName);
    if (job.isEmpty()) {
      return false;
    }
    rest.patch("/jobs/" + job.get() + "?mode=cancel");
    return true;
  }

  /**
   * Takes a checkpoint of the running job and waits until it is complete (Flink's REST trigger, as its CLI's
   * {@code flink checkpoint}); returns its id. Flink then notifies every running task, and Beam's exactly-once writers
   * commit what they staged before it: the drained job's final panes are written before the job stops. The savepoint
   * that stops the job cannot be relied on for that: Flink does not promise that notification for a stop-with-savepoint
   * without its own drain (a job resumed from the savepoint can commit instead), and now and then the final panes
   * were written only by the next start (seen once in CI, 2026-11-30).
   */
  public long checkpoint(Duration timeout) throws IOException, InterruptedException {
    String job = rest.runningJob(jobName).orElseThrow(() -> new IOException("job " + jobName + " is not running"));
    String trigger = rest.post("/jobs/" + job + "/checkpoints", Map.of()).path("request-id").asText();
    return awaitOperation("/jobs/" + job + "/checkpoints/" + trigger, "checkpoint", timeout)
        .path("checkpointId").asLong(-1);
  }

  /**
   * Stops the job with a savepoint in {@code directory}, without Flink's own drain (the job has drained itself:
   * Flink's drain would end every operator, and Beam's exactly-once writers would then write rows before the savepoint
   * that covers them is complete). Returns the savepoint's location once it is complete and the job has stopped.
   */
  public String stopWithSavepoint(URI directory, Duration timeout) throws IOException, InterruptedException {
    String job = rest.runningJob(jobName).orElseThrow(() -> new IOException("job " + jobName + " is not running"));
    String trigger = rest.post("/jobs/" + job + "/stop",
        Map.of("targetDirectory", directory.toString(), "drain", false)).path("request-id").asText();
    return awaitOperation("/jobs/" + job + "/savepoints/" + trigger, "savepoint", timeout)
        .path("location").asText();
  }

  /** Polls an asynchronous operation of Flink's REST API until it completes; its result, or why it failed. */
  private JsonNode awaitOperation(String statusPath, String what, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode status = rest.get(statusPath);
      if ("COMPLETED".equals(status.path("status").path("id").asText())) {
        JsonNode operation = status.path("operation");
        if (operation.has("failure-cause")) {
          throw new IOException("the " + what + " failed: "
              + operation.path("failure-cause").path("stack-trace").asText("").lines().findFirst().orElse(""));
        }
        return operation;
      }
      Thread.sleep(POLL_MILLIS);
    }
    throw new IOException("the " + what + " did not complete within " + timeout.toSeconds() + " s");
  }

  /**
   * An operator (a vertex with an input) whose input watermark has not reached {@code watermark} in every subtask, as
   * "name: subtask watermarks", or empty when there is none.
   */
  private Optional<String> laggingOperator(String job, long watermark) throws IOException {
    for (JsonNode node : rest.get("/jobs/" + job + "/plan").path("plan").path("nodes")) {
      if (node.path("inputs").isEmpty()) {
        continue; // a source
      }
      JsonNode subtasks = rest.get("/jobs/" + job + "/vertices/" + node.path("id").asText() + "/watermarks");
      boolean reached = !subtasks.isEmpty(); // none reported yet: not reached
      for (JsonNode subtask : subtasks) {
        reached &= Long.parseLong(subtask.path("value").asText(String.valueOf(Long.MIN_VALUE))) >= watermark;
      }
      if (!reached) {
        return Optional.of(node.path("description").asText().replaceAll("<[^>]+>", " ") + ": " + subtasks);
      }
    }
    return Optional.empty();
  }
}
