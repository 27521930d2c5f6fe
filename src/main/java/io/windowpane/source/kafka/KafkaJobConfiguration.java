package io.windowpane.source.kafka;

import io.windowpane.pipeline.EventMapping;
import io.windowpane.checkpoint.CheckpointPlan;
import io.windowpane.config.AggProperties;
import io.windowpane.source.Inputs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * The Kafka side of a stream job with {@code agg.stream.source=kafka}: the embedded broker (when asked for), the
 * client settings from {@code spring.kafka.*}, the startup checks of the topics, the replay, and {@link KafkaJob},
 * which the job's input and outputs are made from. Nothing here exists for other jobs.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(KafkaStreamJobCondition.class)
@EnableConfigurationProperties(KafkaProperties.class)
public class KafkaJobConfiguration {

  @Bean(destroyMethod = "close")
  @ConditionalOnProperty(name = "agg.kafka.embedded", havingValue = "true")
  EmbeddedKafkaBroker embeddedKafkaBroker() {
    return EmbeddedKafkaBroker.start();
  }

  @Bean
  KafkaConnection kafkaConnection(KafkaProperties spring, ObjectProvider<EmbeddedKafkaBroker> embedded) {
    EmbeddedKafkaBroker broker = embedded.getIfAvailable();
    return KafkaConnection.from(spring, broker == null ? null : broker.bootstrapServers());
  }

  @Bean
  KafkaJob kafkaJob(AggProperties properties, KafkaConnection connection, DrainSignal drain, EventMapping mapping) {
    AggProperties.Kafka kafka = properties.kafka();
    KafkaTopics topics = new KafkaTopics(connection, kafka.connectTimeout());
    if (kafka.embedded()) {
      List<String> wanted = new ArrayList<>(List.of(kafka.inputTopic()));
      if (!kafka.outputTopic().isBlank()) {
        wanted.add(kafka.outputTopic());
      }
      if (!kafka.deadLetterTopic().isBlank()) {
        wanted.add(kafka.deadLetterTopic());
      }
      topics.createIfMissing(wanted, 1);
    }
    topics.require("agg.kafka.input-topic", kafka.inputTopic());
    if (!kafka.outputTopic().isBlank()) {
      topics.require("agg.kafka.output-topic", kafka.outputTopic());
    }
    if (!kafka.deadLetterTopic().isBlank()) {
      topics.require("agg.kafka.dead-letter-topic", kafka.deadLetterTopic());
    }
    // auto runs a live job on Flink (RunnerChoice); a bounded read has a reader of its own
    KafkaEventSource.LiveReader liveReader = properties.runner() == AggProperties.RunnerKind.DIRECT
        ? KafkaEventSource.LiveReader.SPLITTABLE_DOFN : KafkaEventSource.LiveReader.UNBOUNDED_SOURCE;
    return new KafkaJob(kafka, connection, topics, replayFiles(kafka), drain, liveReader, mapping,
        properties.event().maxFuture());
  }

  /** Lets the job runner end a live read with its open windows fired (only a live read runs until stopped). */
  @Bean(destroyMethod = "clear")
  DrainSignal kafkaDrain(CheckpointPlan checkpoints) {
    return DrainSignal.create(checkpoints.run());
  }

  @Bean
  KafkaReplay kafkaReplay(AggProperties properties, KafkaJob job) {
    AggProperties.Kafka kafka = properties.kafka();
    return new KafkaReplay(job.connection(), kafka.inputTopic(), job.replayFiles(), pacing(kafka),
        properties.window().size());
  }

  /** The replay's files: the user's, or the built-in sample for the embedded demo; none otherwise. */
  private static List<Path> replayFiles(AggProperties.Kafka kafka) {
    if (!kafka.replay().isBlank()) {
      return Inputs.filePattern("agg.kafka.replay", kafka.replay()).files();
    }
    if (kafka.embedded()) {
      return Inputs.filePattern("agg.kafka.replay", KafkaJob.BUILT_IN_SAMPLE).files();
    }
    return List.of();
  }

  private static KafkaReplay.Pacing pacing(AggProperties.Kafka kafka) {
    return switch (kafka.replayPacing()) {
      case FAST -> KafkaReplay.Pacing.FAST;
      // A bounded read takes what is there at start: a real-time replay would still be publishing.
      case REAL_TIME -> kafka.stopAt() == AggProperties.StopAt.END ? KafkaReplay.Pacing.FAST
          : KafkaReplay.Pacing.REAL_TIME;
      case AUTO -> kafka.replay().isBlank() && kafka.stopAt() == AggProperties.StopAt.NEVER
          ? KafkaReplay.Pacing.REAL_TIME : KafkaReplay.Pacing.FAST;
    };
  }
}
