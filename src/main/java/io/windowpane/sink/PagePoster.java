package io.windowpane.sink;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts batches of diagram records to the page feed from a thread of its own, through a bounded queue: the pipeline
 * thread that offers a batch never waits for the page (whose answer can take seconds on a busy machine). A full
 * queue refuses the batch, and a failed post is counted, so that nothing is lost without a trace. The thread is
 * started when there is work and ends when there has been none for a while, so an idle step holds no thread.
 */
final class PagePoster {

  private static final Logger LOG = LoggerFactory.getLogger(PagePoster.class);

  /** Batches waiting to be posted, per step instance: a few seconds of a busy job's panes. */
  static final int QUEUE_CAPACITY = 16;
  /** How long the records still queued may take to be posted when the step's instance is let go. */
  static final long CLOSE_MILLIS = 5_000;

  /** A poster for no page: takes nothing. */
  static final PagePoster NONE = new PagePoster(null, "none");

  private final URI feed;
  private final String kind;
  private final ThreadPoolExecutor executor;
  private final AtomicLong failed = new AtomicLong();
  private final AtomicBoolean failureLogged = new AtomicBoolean();

  PagePoster(URI feed, String kind) {
    this.feed = feed;
    this.kind = kind;
    this.executor = feed == null ? null : new ThreadPoolExecutor(0, 1, 2, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(QUEUE_CAPACITY), task -> {
          Thread thread = new Thread(task, "windowpane-page-feed");
          thread.setDaemon(true);
          return thread;
        });
  }

  /** Queues a batch for posting; false when the queue is full (the batch is not taken). */
  boolean offer(ArrayNode records) {
    if (executor == null) {
      return false;
    }
    int size = records.size();
    try {
      executor.execute(() -> post(records, size));
      return true;
    } catch (RejectedExecutionException full) {
      logOnce("its queue of " + QUEUE_CAPACITY + " batches is full: the page does not keep up");
      return false;
    }
  }

  /** Records whose post failed since the last call. */
  long takeFailed() {
    return failed.getAndSet(0);
  }

  /** Posts what is queued (waiting at most {@link #CLOSE_MILLIS}) and stops the thread. */
  void close() {
    if (executor == null) {
      return;
    }
    executor.shutdown();
    try {
      if (!executor.awaitTermination(CLOSE_MILLIS, TimeUnit.MILLISECONDS)) {
        int left = executor.shutdownNow().size();
        LOG.warn("{} batches of {} records were not posted to the pane diagram within {} ms", left, kind,
            CLOSE_MILLIS);
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
    long lost = takeFailed();
    if (lost > 0) {
      LOG.warn("{} {} records could not be posted to the pane diagram", lost, kind);
    }
  }

  /**
   * A plain blocking connection, not java.net.http.HttpClient: each HttpClient keeps a selector thread waiting in
   * native code, and the JVM's exit waits up to 300 ms for such threads (seen: every run ended 0.35 s late).
   */
  private void post(ArrayNode records, int size) {
    try {
      byte[] body = ReportToPage.json(records);
      HttpURLConnection connection = (HttpURLConnection) feed.toURL().openConnection();
      connection.setConnectTimeout(2_000);
      connection.setReadTimeout(5_000);
      connection.setDoOutput(true);
      connection.setRequestMethod("POST");
      connection.setRequestProperty("Content-Type", "application/json");
      try (OutputStream out = connection.getOutputStream()) {
        out.write(body);
      }
      int status = connection.getResponseCode();
      connection.getInputStream().close();
      if (status / 100 != 2) {
        throw new IOException("HTTP " + status);
      }
    } catch (IOException | RuntimeException e) {
      failed.addAndGet(size);
      logOnce(e.toString());
    }
  }

  private void logOnce(String why) {
    if (failureLogged.compareAndSet(false, true)) {
      LOG.warn("The pane diagram at {} did not take {} records ({}); the job goes on without them, counted in"
          + " agg.diagram.records.dropped", feed, kind, why);
    }
  }
}
