package io.windowpane.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.HttpServer;
import io.windowpane.metrics.JobFigures;
import io.windowpane.pipeline.Coders;
import io.windowpane.pipeline.Event;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** What a job reads reaches the pane diagram's feed, as records of its kind, when the option names a feed. */
@ExtendWith(TestPipelineExtension.class)
class ReportToPageTest {

  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  /**
   * Each element read is posted once, as a record with its user, event time, amount, its kind ({@code element}) and
   * the time it passed the step ({@code at}, epoch microseconds); none is counted as dropped. The records are awaited
   * (the poster posts from its own thread), not timed.
   */
  @Test
  @Timeout(120)
  void everyElementReadIsPostedToTheFeedAsARecord(TestPipeline p) throws Exception {
    List<JsonNode> records = new CopyOnWriteArrayList<>();
    CountDownLatch allThree = new CountDownLatch(3);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/feed", exchange -> {
      for (JsonNode record : JsonMapper.builder().build().readTree(exchange.getRequestBody())) {
        records.add(record);
        allThree.countDown();
      }
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    server.start();
    p.getOptions().as(PageFeedOptions.class)
        .setPageFeed("http://127.0.0.1:" + server.getAddress().getPort() + "/feed");

    p.apply(Create.of(new Event("u1", null, new BigDecimal("20.0"), 1_767_866_405_000L),
            new Event("u2", null, new BigDecimal("-1.25"), 1_767_866_406_000L),
            new Event("u1", null, new BigDecimal("3"), 0L)).withCoder(Coders.EVENT))
        .apply(ReportToPage.arrivals(false));
    PipelineResult result = p.run();
    result.waitUntilFinish();

    assertThat(allThree.await(60, TimeUnit.SECONDS)).as("three records reached the feed").isTrue();
    assertThat(records).allSatisfy(record -> {
      assertThat(record.get("kind").asText()).isEqualTo("element");
      assertThat(record.get("at").isIntegralNumber()).isTrue();
    });
    assertThat(records).extracting(r -> r.get("user_id").asText() + " " + r.get("event_time").asText() + " "
        + r.get("amount").toString()).containsExactlyInAnyOrder("u1 2026-01-08T10:00:05Z 20.0",
        "u2 2026-01-08T10:00:06Z -1.25", "u1 1970-01-01T00:00:00Z 3");
    assertThat(JobFigures.of(result).diagramRecordsDropped()).as("the poster took every batch").isZero();
  }
}
