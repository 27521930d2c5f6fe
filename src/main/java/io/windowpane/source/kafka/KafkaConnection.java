package io.windowpane.source.kafka;

import io.windowpane.config.InvalidJobSpecException;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

/**
 * The Kafka client settings of the job, taken from Spring Boot's own {@code spring.kafka.*} properties (bootstrap
 * servers, security, SSL, client properties) and handed to KafkaIO's consumer and producer and to the admin client
 * that checks topics at startup. With {@code agg.kafka.embedded=true}, the bootstrap servers are the in-process
 * broker's.
 *
 * <p>Serializers and deserializers are the pipeline's own (bytes in, strings out), so the ones in
 * {@code spring.kafka.*} are left out. Every value must be serializable, since the configuration travels with the
 * pipeline to its workers: an SSL bundle ({@code spring.kafka.ssl.bundle}) is an object, not a setting, so it is
 * refused at startup in favour of the {@code spring.kafka.ssl.*} store locations.
 */
public record KafkaConnection(
    String bootstrapServers, Map<String, Object> consumer, Map<String, Object> producer, Map<String, Object> admin) {

  private static final List<String> CODEC_KEYS = List.of(
      ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
      ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);

  public KafkaConnection {
    consumer = Map.copyOf(consumer);
    producer = Map.copyOf(producer);
    admin = Map.copyOf(admin);
  }

  /**
   * @param embeddedBootstrapServers the in-process broker's address, or {@code null} to use
   *     {@code spring.kafka.bootstrap-servers}
   */
  public static KafkaConnection from(KafkaProperties spring, String embeddedBootstrapServers) {
    Map<String, Object> consumer = clientConfig(spring.buildConsumerProperties(), embeddedBootstrapServers);
    Map<String, Object> producer = clientConfig(spring.buildProducerProperties(), embeddedBootstrapServers);
    Map<String, Object> admin = clientConfig(spring.buildAdminProperties(), embeddedBootstrapServers);
    String servers = String.valueOf(consumer.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG));
    return new KafkaConnection(servers, consumer, producer, admin);
  }

  /** The property users set for the bootstrap servers, for error messages. */
  public String bootstrapProperty() {
    return "spring.kafka.bootstrap-servers";
  }

  private static Map<String, Object> clientConfig(Map<String, Object> spring, String embeddedBootstrapServers) {
    Map<String, Object> config = new HashMap<>(spring);
    CODEC_KEYS.forEach(config::remove);
    if (embeddedBootstrapServers != null) {
      config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, embeddedBootstrapServers);
    }
    // Spring gives a list; KafkaIO's writer reads the setting as one string.
    if (config.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG) instanceof List<?> servers) {
      config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
          String.join(",", servers.stream().map(String::valueOf).toList()));
    }
    config.forEach((key, value) -> {
      if (value != null && !(value instanceof Serializable)) {
        throw new InvalidJobSpecException("spring.kafka", key,
            "is set to a " + value.getClass().getSimpleName() + " object, which cannot travel with the pipeline to"
                + " its workers; use plain settings instead (for SSL: spring.kafka.ssl.key-store-location and"
                + " friends rather than spring.kafka.ssl.bundle)");
      }
    });
    return config;
  }
}
