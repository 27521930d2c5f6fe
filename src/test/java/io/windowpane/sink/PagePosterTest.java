package io.windowpane.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.sun.net.httpserver.HttpServer;
import io.windowpane.testing.Await;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The pane diagram's poster against a real HTTP server that is slow, or answers with an error. */
class PagePosterTest {

  private HttpServer server;
  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicInteger posted = new AtomicInteger();

  @AfterEach
  void stop() {
    release.countDown();
    if (server != null) {
      server.stop(0);
    }
  }

  private URI serve(int status, boolean slow) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/feed", exchange -> {
      try {
        if (slow) {
          release.await(30, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.getRequestBody().readAllBytes();
      posted.incrementAndGet();
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/feed");
  }

  private static ArrayNode records(int count) {
    ArrayNode records = JsonNodeFactory.instance.arrayNode();
    for (int i = 0; i < count; i++) {
      records.addObject().put("kind", "pane").put("i", i);
    }
    return records;
  }

  /**
   * The page holds every post until the test releases it: the offers all return while it does, so none waited for
   * the page (one that did would never return: the timeout only ends such a hang).
   */
  @Test
  @Timeout(60)
  void aSlowPageNeitherHoldsTheCallerNorLosesRecordsSilently() throws IOException {
    PagePoster poster = new PagePoster(serve(204, true), "pane");
    int taken = 0;
    for (int i = 0; i < PagePoster.QUEUE_CAPACITY + 5; i++) {
      taken += poster.offer(records(3)) ? 1 : 0;
    }
    assertThat(release.getCount()).as("the page still holds the first post").isEqualTo(1);
    // one batch is being posted (held by the page), the queue holds QUEUE_CAPACITY more, the rest are refused
    assertThat(taken).isBetween(PagePoster.QUEUE_CAPACITY, PagePoster.QUEUE_CAPACITY + 1);

    release.countDown();
    poster.close();
    assertThat(posted.get()).as("what was taken is posted before close returns").isEqualTo(taken);
    assertThat(poster.takeFailed()).isZero();
  }

  /**
   * A post is its batch as JSON, sent as {@code application/json}; a page that takes it (2xx) leaves nothing counted
   * as failed. The poster's thread is a daemon: it never keeps the JVM from exiting. (The poster posts one batch at a
   * time, so when the page holds the second, the first is done.)
   */
  @Test
  @Timeout(60)
  void aPostIsTheBatchAsJsonAndATakenOneIsNoFailure() throws Exception {
    List<String> received = new CopyOnWriteArrayList<>();
    CountDownLatch secondArrived = new CountDownLatch(1);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/feed", exchange -> {
      received.add(exchange.getRequestMethod() + " " + exchange.getRequestHeaders().getFirst("Content-Type") + " "
          + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      if (received.size() == 2) {
        secondArrived.countDown();
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    server.start();
    PagePoster poster = new PagePoster(
        URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/feed"), "pane");
    assertThat(poster.offer(records(2))).isTrue();
    assertThat(poster.offer(records(1))).isTrue();
    assertThat(secondArrived.await(30, TimeUnit.SECONDS)).as("the second post reached the page").isTrue();

    assertThat(poster.takeFailed()).as("the first post, taken with 200").isZero();
    assertThat(Thread.getAllStackTraces().entrySet()).as("the thread posting the held batch")
        .filteredOn(thread -> thread.getKey().getName().equals("windowpane-page-feed") && Arrays.stream(
            thread.getValue()).anyMatch(frame -> frame.getClassName().equals(PagePoster.class.getName())))
        .isNotEmpty().allMatch(thread -> thread.getKey().isDaemon());

    release.countDown();
    poster.close();
    assertThat(received).containsExactly(
        "POST application/json [{\"kind\":\"pane\",\"i\":0},{\"kind\":\"pane\",\"i\":1}]",
        "POST application/json [{\"kind\":\"pane\",\"i\":0}]");
  }

  @Test
  void failuresAreReportedToTheStepUntilTaken() throws Exception {
    PagePoster poster = new PagePoster(serve(500, false), "pane");
    poster.offer(records(3));
    poster.offer(records(4));
    long[] failed = {0};
    Await.until("both posts' records reported failed", Duration.ofSeconds(30),
        () -> (failed[0] += poster.takeFailed()) >= 7);
    assertThat(failed[0]).isEqualTo(7);
    poster.close();
  }

  @Test
  void withoutAPageNothingIsTaken() {
    assertThat(PagePoster.NONE.offer(records(1))).isFalse();
    PagePoster.NONE.close();
  }
}
