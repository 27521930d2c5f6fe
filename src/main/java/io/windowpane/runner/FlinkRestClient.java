package io.windowpane.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Calls to a Flink cluster's REST API (the one behind its web dashboard): an embedded cluster's on the loopback port
 * windowpane picks, or a remote cluster's at {@code --flinkMaster}.
 */
final class FlinkRestClient {

  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private final URI rest;

  /** @param rest the cluster's REST address, such as {@code http://127.0.0.1:8081} */
  FlinkRestClient(URI rest) {
    this.rest = rest;
  }

  /** The id of the job of that name that has not ended yet (it may still be starting). */
  Optional<String> unfinishedJob(String name) throws IOException {
    return job(name, state -> !List.of("FINISHED", "CANCELED", "FAILED", "CANCELLING").contains(state));
  }

  /**
   * The id of the job of that name whose tasks may still run: any state but the ended ones (a job being cancelled
   * still runs its tasks for a while).
   */
  Optional<String> notEndedJob(String name) throws IOException {
    return job(name, state -> !List.of("FINISHED", "CANCELED", "FAILED").contains(state));
  }

  /** The id of the running job of that name (Beam's {@code --jobName}): a cluster may run other jobs. */
  Optional<String> runningJob(String name) throws IOException {
    return job(name, "RUNNING"::equals);
  }

  private Optional<String> job(String name, Predicate<String> state) throws IOException {
    for (JsonNode job : get("/jobs/overview").path("jobs")) {
      if (name.equals(job.path("name").asText()) && state.test(job.path("state").asText())) {
        return Optional.of(job.path("jid").asText());
      }
    }
    return Optional.empty();
  }

  /**
   * A plain blocking connection, not {@code java.net.http.HttpClient}, whose selector thread waits in native code and
   * so holds up the JVM's exit by up to 300 ms.
   */
  JsonNode get(String path) throws IOException {
    return call(open(path), null);
  }

  JsonNode post(String path, Object body) throws IOException {
    HttpURLConnection connection = open(path);
    connection.setRequestMethod("POST");
    connection.setDoOutput(true);
    connection.setRequestProperty("Content-Type", "application/json");
    return call(connection, JSON.writeValueAsBytes(body));
  }

  /**
   * A PATCH, which {@code HttpURLConnection} cannot send: through {@code java.net.http.HttpClient}, which is fine for
   * the rare calls that need it (cancelling a job on shutdown).
   */
  void patch(String path) throws IOException {
    try {
      HttpResponse<Void> response = HttpClient.newBuilder().connectTimeout(TIMEOUT).build().send(
          HttpRequest.newBuilder(rest.resolve(path)).timeout(TIMEOUT)
              .method("PATCH", HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() / 100 != 2) {
        throw new IOException("HTTP " + response.statusCode() + " for PATCH " + path);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: PATCH " + path, e);
    }
  }

  private HttpURLConnection open(String path) throws IOException {
    HttpURLConnection connection = (HttpURLConnection) rest.resolve(path).toURL().openConnection();
    connection.setConnectTimeout((int) TIMEOUT.toMillis());
    connection.setReadTimeout((int) TIMEOUT.toMillis());
    return connection;
  }

  private static JsonNode call(HttpURLConnection connection, byte[] body) throws IOException {
    if (body != null) {
      try (OutputStream out = connection.getOutputStream()) {
        out.write(body);
      }
    }
    try (InputStream in = connection.getInputStream()) {
      return JSON.readTree(in);
    }
  }
}
