package io.windowpane.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.windowpane.testing.Actuator;
import io.windowpane.testing.Chromium;
import io.windowpane.testing.TestUser;
import io.windowpane.testing.JsonLines;
import io.windowpane.testing.Rows;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

/**
 * The seed scenario's pane diagram, loaded in a real browser (headless Chromium): six panes drawn with their
 * labels in the steps during which they fired, the seven elements, the watermark; the same page as a file; the rows
 * at {@code /api/panes}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PaneDiagramPageTest {

  private static final Path DIR = tempDir();
  private static final Pattern PANE = Pattern.compile(
      "<g class=\"pane pane-(\\w+)\" data-user=\"(\\w+)\" data-timing=\"\\w+\" data-window-start=\"([^\"]+)\" "
          + "data-step=\"(\\d+)\"[^>]*>.*?<text[^>]*>([^<]+)</text>");

  @DynamicPropertySource
  static void diagramFile(DynamicPropertyRegistry registry) {
    registry.add("agg.output.diagram-path", () -> DIR.resolve("panes.html").toString());
  }

  @LocalServerPort int port;

  @AfterAll
  static void cleanUp() throws IOException {
    FileSystemUtils.deleteRecursively(DIR);
  }

  @Test
  void theBrowserShowsTheSixPanesOfTheSeedScenarioInTheStepsTheyFiredIn() throws Exception {
    String dom = Chromium.dumpDom(TestUser.browserUrl(port, "/"));

    assertThat(panes(dom)).containsExactlyInAnyOrder(
        "u1 10:00 step 4 ON_TIME 2 / 35",
        "u2 10:00 step 4 ON_TIME 1 / 8",
        "u2 10:00 step 9 LATE 2 / 11",
        "u1 10:01 step 8 ON_TIME 1 / -5",
        "u2 10:01 step 8 ON_TIME 1 / 12",
        "u3 10:01 step 8 ON_TIME 1 / 9");
    assertThat(count(dom, "<g class=\"element\"")).isEqualTo(7);
    assertThat(dom).contains("data-event-time=\"2026-01-08T10:00:50Z\" data-step=\"7\""); // the late element
    assertThat(count(dom, "class=\"watermark\"")).isEqualTo(3); // one per user panel
    assertThat(dom).contains("Job <b id=\"job-status\">DONE</b>").contains("7. add 1 element");

    Chromium.screenshot(TestUser.browserUrl(port, "/"), Path.of("target", "pane-diagram-seed.png"), 1000, 1220);
  }

  @Test
  void theSameDiagramIsWrittenToAFileWhenTheJobEnds() throws IOException {
    String file = Files.readString(DIR.resolve("panes.html"));

    assertThat(panes(file)).hasSize(6).contains("u2 10:00 step 9 LATE 2 / 11");
    assertThat(file).contains("var live = false;").doesNotContain("{{");
    assertThat(DIR.resolve("panes.html.in-progress")).doesNotExist();
  }

  @Test
  void apiPanesReturnsTheRowsFiredSoFar() throws Exception {
    HttpResponse<String> response = new Actuator(port).get("/api/panes");

    assertThat(response.statusCode()).isEqualTo(200);
    String lines = response.body().replaceAll("^\\[|\\]$", "").replace("},{", "}\n{");
    assertThat(JsonLines.rows(lines)).containsExactlyInAnyOrder(Rows.seedScenarioAccumulating());
    // sums exactly as the results output writes them (not 35, as a lossy JSON tree on the way had made them)
    assertThat(response.body()).contains("\"sum_amount\":35.0,").doesNotContain("\"sum_amount\":35,");
  }

  @Test
  void theFeedTakesRecordsOnlyWithThisRunsToken() throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/internal/page-feed/not-the-token"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("[{\"kind\":\"step\",\"step\":1,\"at\":0}]")).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(404);
  }

  /** Each drawn pane as "user window-start(HH:mm) step N label". */
  private static List<String> panes(String html) {
    List<String> panes = new ArrayList<>();
    Matcher matcher = PANE.matcher(html);
    while (matcher.find()) {
      panes.add(matcher.group(2) + " " + matcher.group(3).substring(11, 16) + " step " + matcher.group(4) + " "
          + matcher.group(5));
    }
    return panes;
  }

  private static int count(String text, String part) {
    return text.split(Pattern.quote(part), -1).length - 1;
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("windowpane-diagram");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
