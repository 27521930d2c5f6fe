package io.windowpane.source.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.windowpane.pipeline.Event;
import io.windowpane.pipeline.EventParser;
import io.windowpane.pipeline.InvalidEventException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Publishes JSON Lines events into the input topic ({@code agg.kafka.replay}, or the built-in sample for the
 * embedded demo): a demo and a load generator. Each line is one record, keyed by its {@code user_id} when it is a
 * valid event; invalid lines are published as they are (the job dead-letters them).
 *
 * <ul>
 *   <li>{@link Pacing#FAST}: everything, as fast as the broker takes it, before the job starts reading. Event times
 *       are kept, so the job sees the history as it was.
 *   <li>{@link Pacing#REAL_TIME}: event times are moved so that the first event's window starts at the next window
 *       boundary from now, and each line is sent when its moved event time comes (in file order: a line whose time
 *       has passed, such as the sample's late event, is sent at once, and so arrives late). Runs beside the job.
 * </ul>
 */
public final class KafkaReplay implements SmartLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaReplay.class);
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  /** How a replay is paced. */
  public enum Pacing {
    FAST,
    REAL_TIME
  }

  private final KafkaConnection connection;
  private final String topic;
  private final List<Path> files;
  private final Pacing pacing;
  private final Duration windowSize;
  private volatile Thread feeder;
  private volatile boolean running;

  public KafkaReplay(KafkaConnection connection, String topic, List<Path> files, Pacing pacing, Duration windowSize) {
    this.connection = connection;
    this.topic = topic;
    this.files = List.copyOf(files);
    this.pacing = pacing;
    this.windowSize = windowSize;
  }

  /** Fast replays are published completely here, before the job starts; real-time ones start beside it. */
  @Override
  public void start() {
    running = true;
    if (pacing == Pacing.FAST) {
      publish();
      return;
    }
    feeder = new Thread(this::publish, "kafka-replay");
    feeder.setDaemon(true);
    feeder.start();
  }

  @Override
  public void stop() {
    running = false;
    Thread thread = feeder;
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  private void publish() {
    long sent = 0;
    Long shiftMillis = null;
    long started = System.nanoTime();
    try (KafkaProducer<String, String> producer = producer()) {
      for (Path file : files) {
        try (BufferedReader reader = open(file)) {
          String line;
          while ((line = reader.readLine()) != null) {
            if (EventParser.isBlank(line)) {
              continue;
            }
            String key = null;
            String value = line;
            try {
              Event event = EventParser.parse(line);
              key = event.key();
              if (pacing == Pacing.REAL_TIME) {
                if (shiftMillis == null) {
                  shiftMillis = shiftToNextWindow(event.eventTimeMillis());
                  LOG.info("Replaying {} in real time into topic {}: event times moved by {} so the first window"
                      + " starts at {}", file, topic, Duration.ofMillis(shiftMillis),
                      Instant.ofEpochMilli(windowStart(event.eventTimeMillis()) + shiftMillis));
                }
                long movedMillis = event.eventTimeMillis() + shiftMillis;
                sleepUntil(movedMillis);
                value = withEventTime(line, movedMillis);
              }
            } catch (InvalidEventException e) {
              // sent as it is: the job rejects it to the dead-letter output, as it would from any producer
            }
            producer.send(new ProducerRecord<>(topic, key, value));
            sent++;
          }
        }
      }
      producer.flush();
      LOG.info("Replay published {} records into topic {} in {} ms", sent, topic,
          (System.nanoTime() - started) / 1_000_000);
    } catch (InterruptedException e) {
      LOG.info("Replay stopped after {} records", sent);
    } catch (IOException e) {
      throw new UncheckedIOException("replay of " + files + " failed", e);
    }
  }

  private long shiftToNextWindow(long firstEventTimeMillis) {
    long size = windowSize.toMillis();
    long nextBoundary = Math.floorDiv(System.currentTimeMillis(), size) * size + size;
    return nextBoundary - windowStart(firstEventTimeMillis);
  }

  private long windowStart(long eventTimeMillis) {
    long size = windowSize.toMillis();
    return Math.floorDiv(eventTimeMillis, size) * size;
  }

  private void sleepUntil(long epochMillis) throws InterruptedException {
    long wait;
    while ((wait = epochMillis - System.currentTimeMillis()) > 0) {
      if (!running) {
        throw new InterruptedException("replay stopped");
      }
      Thread.sleep(Math.min(wait, 500));
    }
  }

  private static String withEventTime(String line, long epochMillis) throws IOException {
    ObjectNode node = (ObjectNode) JSON.readTree(line);
    node.put("event_time", BigDecimal.valueOf(epochMillis, 3));
    return JSON.writeValueAsString(node);
  }

  private static BufferedReader open(Path file) throws IOException {
    InputStream in = Files.newInputStream(file);
    if (file.getFileName().toString().endsWith(".gz")) {
      in = new GZIPInputStream(in);
    }
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
  }

  private KafkaProducer<String, String> producer() {
    Map<String, Object> config = new HashMap<>(connection.producer());
    config.putIfAbsent("linger.ms", 5);
    return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
  }
}
