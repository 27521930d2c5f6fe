package io.windowpane.source.kafka;

import io.windowpane.config.InvalidJobSpecException;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * What the job asks the Kafka cluster at startup, with the admin client and a time limit, so that an unreachable
 * cluster or a missing topic stops the application with a clear message (exit code 2) instead of a job that hangs:
 * does a topic exist, how many partitions, where do they end now.
 */
public final class KafkaTopics {

  private final KafkaConnection connection;
  private final Duration timeout;

  public KafkaTopics(KafkaConnection connection, Duration timeout) {
    this.connection = connection;
    this.timeout = timeout;
  }

  /** Where every partition of a topic ended when it was asked: a bounded read's stopping point. */
  public record EndOffsets(List<PartitionEnd> partitions) implements Serializable {
    public EndOffsets {
      partitions = List.copyOf(partitions);
    }

    public long total() {
      return partitions.stream().mapToLong(PartitionEnd::endOffset).sum();
    }
  }

  public record PartitionEnd(String topic, int partition, long endOffset) implements Serializable {
    public TopicPartition topicPartition() {
      return new TopicPartition(topic, partition);
    }
  }

  /** Fails with the property's name unless the topic exists; returns its number of partitions. */
  public int require(String property, String topic) {
    try (Admin admin = admin()) {
      return describe(admin, property, topic).partitions().size();
    }
  }

  /** Creates the topics that do not exist yet (for the embedded broker), with one replica. */
  public void createIfMissing(Collection<String> topics, int partitions) {
    try (Admin admin = admin()) {
      List<NewTopic> missing = new ArrayList<>();
      Set<String> existing = await(admin.listTopics().names());
      for (String topic : Set.copyOf(topics)) {
        if (!existing.contains(topic)) {
          missing.add(new NewTopic(topic, partitions, (short) 1));
        }
      }
      await(admin.createTopics(missing).all());
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("cannot create topics " + topics + ": " + e.getCause(), e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    }
  }

  /** The current end offset of every partition of the topic. */
  public EndOffsets endOffsets(String property, String topic) {
    try (Admin admin = admin()) {
      TopicDescription description = describe(admin, property, topic);
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      description.partitions().forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
          await(admin.listOffsets(latest).all());
      List<PartitionEnd> partitions = new ArrayList<>();
      ends.forEach((tp, info) -> partitions.add(new PartitionEnd(tp.topic(), tp.partition(), info.offset())));
      partitions.sort(java.util.Comparator.comparingInt(PartitionEnd::partition));
      return new EndOffsets(partitions);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot read the end offsets of topic " + topic + ": " + e.getCause(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading end offsets", e);
    }
  }

  private TopicDescription describe(Admin admin, String property, String topic) {
    try {
      return await(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        throw new InvalidJobSpecException(property, topic,
            "topic does not exist on " + connection.bootstrapServers() + " (create it first)");
      }
      throw new InvalidJobSpecException(property, topic,
          "cannot describe the topic on " + connection.bootstrapServers() + ": " + e.getCause().getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while describing topic " + topic, e);
    }
  }

  /**
   * Waits for an admin call at most the connect timeout. No answer in time means no broker answered, whichever
   * timeout came first: ours, or the admin client's own (the same length), which fails the call instead.
   */
  private <T> T await(KafkaFuture<T> call) throws ExecutionException, InterruptedException {
    try {
      return call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw unreachable(e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
        throw unreachable(e);
      }
      throw e;
    }
  }

  private InvalidJobSpecException unreachable(Exception e) {
    return new InvalidJobSpecException(connection.bootstrapProperty(), connection.bootstrapServers(),
        "no Kafka broker answered within " + timeout.toSeconds() + " s (agg.kafka.connect-timeout)", e);
  }

  private Admin admin() {
    Map<String, Object> config = new HashMap<>(connection.admin());
    int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    config.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
    config.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
    return Admin.create(config);
  }
}
