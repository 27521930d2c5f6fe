package io.windowpane.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.windowpane.testing.Actuator;
import io.windowpane.testing.Await;
import io.windowpane.testing.TestUser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The door (docs/operations.md, "Who may look"): the page, its data and the actuator answer only a logged-in user;
 * the health status answers anyone, its details only a logged-in user; a write a browser sends for another site's
 * page is refused even with the credentials it remembers. Real HTTP against the running application.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "management.endpoints.web.exposure.include=health,info,metrics,prometheus,drain")
class WhoMayLookTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();

  @LocalServerPort int port;

  @BeforeEach
  void jobDone() throws InterruptedException {
    Await.until("the seed scenario's job is done", Duration.ofSeconds(60), () -> new Actuator(port)
        .json("/actuator/health").path("components").path("job").path("details").path("state").asText()
        .equals("DONE"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "/api/panes", "/api/diagram", "/actuator", "/actuator/metrics",
      "/actuator/metrics/agg.panes", "/actuator/prometheus", "/actuator/info"})
  void withoutCredentialsEverythingButHealthIsRefused(String path) throws Exception {
    HttpResponse<String> anonymous = Actuator.anonymous(port).get(path);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
        challenge -> assertThat(challenge).startsWith("Basic"));
    assertThat(anonymous.body()).doesNotContain("u1").doesNotContain("agg_panes");

    assertThat(Actuator.as(port, TestUser.NAME, "not-the-password").get(path).statusCode()).isEqualTo(401);
    assertThat(new Actuator(port).get(path).statusCode()).isEqualTo(200);
  }

  @Test
  void withCredentialsThePanesAndThePrometheusScrapeAreServed() {
    assertThat(new Actuator(port).get("/api/panes").body()).contains("\"user_id\":\"u1\"");
    assertThat(new Actuator(port).get("/actuator/prometheus").body()).contains("agg_panes_total");
  }

  @Test
  void anyoneSeesTheHealthStatusAndOnlyALoggedInUserItsDetails() throws Exception {
    HttpResponse<String> anonymous = Actuator.anonymous(port).get("/actuator/health");
    assertThat(anonymous.statusCode()).isEqualTo(200);
    JsonNode status = JSON.readTree(anonymous.body());
    assertThat(status.path("status").asText()).isEqualTo("UP");
    assertThat(status.has("components")).as(anonymous.body()).isFalse();

    assertThat(new Actuator(port).json("/actuator/health").path("components").path("job").path("details")
        .path("state").asText()).isEqualTo("DONE");
  }

  /**
   * A browser that remembers the credentials sends them with a form another site's page submits; Fetch Metadata
   * tells such a request apart, and it is refused. curl's (no such header) and the page's own are let through.
   */
  @Test
  void aWriteABrowserSendsForAnotherSitesPageIsRefusedEvenWithCredentials() throws Exception {
    String user = TestUser.basicAuthorization();
    // refused by the CSRF filter, ahead of the login: Spring Security answers it as for no credentials
    assertThat(send("/actuator/drain", "POST", user, "cross-site").statusCode()).isIn(401, 403);
    assertThat(send("/actuator/drain", "POST", user, "same-site").statusCode()).isIn(401, 403);
    assertThat(send("/actuator/drain", "POST", null, null).statusCode()).isEqualTo(401);

    assertThat(send("/actuator/drain", "POST", user, "same-origin").statusCode()).isEqualTo(200);
    assertThat(send("/actuator/drain", "POST", user, null).statusCode()).as("curl -u").isEqualTo(200);
  }

  private HttpResponse<String> send(String path, String method, String authorization, String fetchSite)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .method(method, HttpRequest.BodyPublishers.noBody());
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    if (fetchSite != null) {
      request.header("Sec-Fetch-Site", fetchSite);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
