package io.windowpane.testing;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes events to a topic at a steady rate, with event time = send time, spread over its partitions, as a live
 * source does; keeps every event the broker acknowledged, so that a test can count what a job must have seen.
 */
public final class LiveProducer implements AutoCloseable {

  /** One acknowledged event. */
  public record Sent(String user, long eventTimeMillis, long amount) {}

  private final KafkaProducer<String, String> producer;
  private final String topic;
  private final int partitions;
  private final int perSecond;
  private final List<Sent> sent = new ArrayList<>();
  private final Random random;
  private final Thread thread;
  private volatile boolean running = true;

  public LiveProducer(String bootstrapServers, String topic, int partitions, int perSecond, long seed) {
    Map<String, Object> config = new HashMap<>(Map.of("bootstrap.servers", bootstrapServers, "acks", "all",
        "linger.ms", 5));
    this.producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    this.topic = topic;
    this.partitions = partitions;
    this.perSecond = perSecond;
    this.random = new Random(seed);
    this.thread = new Thread(this::produce, "live-producer");
  }

  public void start() {
    thread.start();
  }

  /** How many events the broker has acknowledged so far. */
  public int acknowledged() {
    synchronized (sent) {
      return sent.size();
    }
  }

  /**
   * Writes {@code count} events at once, beside the steady stream, and waits until the broker has acknowledged them: a
   * backlog for the job to catch up with.
   */
  public void burst(int count) {
    for (int n = 0; n < count; n++) {
      send(n);
    }
    producer.flush();
  }

  /** Stops producing and waits until every event sent was acknowledged. */
  public List<Sent> stop() throws InterruptedException {
    running = false;
    thread.join();
    producer.flush();
    synchronized (sent) {
      return List.copyOf(sent);
    }
  }

  private void produce() {
    long started = System.currentTimeMillis();
    for (long n = 0; running; n++) {
      long due = started + n * 1000 / perSecond;
      long wait = due - System.currentTimeMillis();
      if (wait > 0) {
        try {
          Thread.sleep(wait);
        } catch (InterruptedException e) {
          return;
        }
      }
      send(n);
    }
  }

  private void send(long n) {
    String user = "u" + random.nextInt(8);
    long amount = 1 + random.nextInt(100);
    long eventTime = System.currentTimeMillis();
    String value = "{\"user_id\":\"" + user + "\",\"event_type\":\"purchase\",\"amount\":" + amount
        + ",\"event_time\":" + BigDecimal.valueOf(eventTime, 3).toPlainString() + "}";
    Sent event = new Sent(user, eventTime, amount);
    producer.send(new ProducerRecord<>(topic, (int) (n % partitions), user, value), (metadata, error) -> {
      if (error == null) {
        synchronized (sent) {
          sent.add(event);
        }
      }
    });
  }

  @Override
  public void close() {
    running = false;
    producer.close();
  }
}
