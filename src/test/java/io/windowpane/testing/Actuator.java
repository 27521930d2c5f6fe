package io.windowpane.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Reads the application's real /actuator endpoints over HTTP. */
public final class Actuator {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final int port;

  public Actuator(int port) {
    this.port = port;
  }

  public HttpResponse<String> get(String path) {
    return send("GET", path);
  }

  /** A POST without a body, as an actuator write operation takes one: {@code curl -X POST}. */
  public HttpResponse<String> post(String path) {
    return send("POST", path);
  }

  private HttpResponse<String> send(String method, String path) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
          .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public JsonNode json(String path) {
    HttpResponse<String> response = get(path);
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new IllegalStateException("GET " + path + " returned " + response.statusCode() + ": " + response.body(),
          e);
    }
  }

  /**
   * The value of a metric's first measurement (COUNT for counters), e.g. {@code metric("agg.panes",
   * "timing:LATE")}.
   */
  public double metric(String name, String... tags) {
    StringBuilder path = new StringBuilder("/actuator/metrics/").append(name);
    for (int i = 0; i < tags.length; i++) {
      path.append(i == 0 ? '?' : '&').append("tag=").append(tags[i]);
    }
    HttpResponse<String> response = get(path.toString());
    if (response.statusCode() != 200) {
      throw new AssertionError("GET " + path + " returned " + response.statusCode() + ": " + response.body());
    }
    return json(path.toString()).path("measurements").path(0).path("value").asDouble(Double.NaN);
  }
}
