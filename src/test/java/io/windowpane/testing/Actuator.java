package io.windowpane.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Reads the application's real /actuator endpoints (and the page's /api) over HTTP, logged in as the
 * {@link TestUser}; {@link #anonymous} sends no credentials (and serves Flink's REST API, which asks for none).
 */
public final class Actuator {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final int port;
  private final String authorization;

  public Actuator(int port) {
    this(port, TestUser.basicAuthorization());
  }

  private Actuator(int port, String authorization) {
    this.port = port;
    this.authorization = authorization;
  }

  /** Requests logged in as another user (a generated password, a wrong one). */
  public static Actuator as(int port, String name, String password) {
    return new Actuator(port, TestUser.basicAuthorization(name, password));
  }

  /** Requests with no credentials. */
  public static Actuator anonymous(int port) {
    return new Actuator(port, null);
  }

  public HttpResponse<String> get(String path) {
    return send("GET", path);
  }

  /** A POST without a body, as an actuator write operation takes one: {@code curl -X POST}. */
  public HttpResponse<String> post(String path) {
    return send("POST", path);
  }

  /** A PATCH without a body (Flink's REST API cancels a job with one). */
  public HttpResponse<String> patch(String path) {
    return send("PATCH", path);
  }

  private HttpResponse<String> send(String method, String path) {
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
          .method(method, HttpRequest.BodyPublishers.noBody());
      if (authorization != null) {
        request.header("Authorization", authorization);
      }
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
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
