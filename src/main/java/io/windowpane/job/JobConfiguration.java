package io.windowpane.job;

import io.windowpane.pipeline.EventMapping;
import io.windowpane.pipeline.EventReader;
import io.windowpane.checkpoint.CheckpointPlan;
import io.windowpane.config.AggProperties;
import io.windowpane.runner.RunnerChoice;
import io.windowpane.sink.JobOutputs;
import io.windowpane.source.Inputs;
import io.windowpane.source.JobInput;
import io.windowpane.source.ScenarioLoader;
import io.windowpane.source.kafka.KafkaConnection;
import io.windowpane.source.kafka.KafkaJob;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;

/**
 * Resolves the configured input and outputs at startup, so a missing file, a bad scenario or an unwritable output
 * stops the application with exit code 2 before any work is done.
 */
@Configuration(proxyBeanMethods = false)
class JobConfiguration {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JobConfiguration.class);
  /** agg.batch.input's default (application.yml): set to anything else, the user means a file to be read. */
  private static final String DEFAULT_BATCH_INPUT = "classpath:samples/tutorial-events.jsonl";

  @Bean
  JobInput jobInput(AggProperties properties, EventMapping mapping, ObjectProvider<KafkaJob> kafka) {
    EventReader reader = new EventReader(mapping);
    if (properties.mode() == AggProperties.Mode.STREAM && !properties.batch().input().equals(DEFAULT_BATCH_INPUT)) {
      LOG.warn("agg.batch.input={} is not read: agg.mode=stream reads {}. Add --agg.mode=batch to read the file.",
          properties.batch().input(), properties.stream().source() == AggProperties.StreamSource.KAFKA
              ? "the Kafka topic " + properties.kafka().inputTopic() : "the scenario " + properties.stream().scenario());
    }
    return switch (properties.mode()) {
      case BATCH -> JobInput.batch(Inputs.filePattern("agg.batch.input", properties.batch().input()), reader);
      case STREAM -> switch (properties.stream().source()) {
        // a scenario in the tutorial's shape gives times as t; in the user's own, as the mapping reads them
        case SCENARIO -> JobInput.stream(ScenarioLoader.load(properties.stream().scenario(),
                mapping.readsTutorialKeyAndTime() ? null : reader),
            properties.runner() == AggProperties.RunnerKind.FLINK, // auto runs scenarios on the DirectRunner
            reader);
        case KAFKA -> kafka.getObject().input();
      };
    };
  }

  /** The runner for this input: {@link RunnerChoice}. */
  @Bean
  RunnerChoice runnerChoice(AggProperties properties, JobInput input) {
    return RunnerChoice.of(properties, properties.mode() == AggProperties.Mode.BATCH ? input.sizeBytes() : 0);
  }

  /** This instance as the only writer of its live job's checkpoints and files; taken before they are touched. */
  @Bean(destroyMethod = "close")
  JobWriterLocks jobWriterLocks(AggProperties properties) {
    return JobWriterLocks.take(properties);
  }

  /** A live job on Flink: where its checkpoints go and what it resumes from; {@link CheckpointPlan#NONE} otherwise. */
  @Bean
  @DependsOn("jobWriterLocks") // the folder is read and tidied only by the instance that holds it
  CheckpointPlan checkpointPlan(AggProperties properties, ObjectProvider<KafkaConnection> kafka) {
    if (!properties.checkpointed()) {
      return CheckpointPlan.NONE;
    }
    KafkaConnection connection = kafka.getObject();
    // a resumed job's Kafka reader is restored with the settings it was built with: other ones would not apply
    Map<String, String> readerSettings = new LinkedHashMap<>();
    readerSettings.put(connection.bootstrapProperty(), connection.bootstrapServers());
    readerSettings.put("spring.kafka.consumer.group-id",
        String.valueOf(connection.consumer().get(ConsumerConfig.GROUP_ID_CONFIG)));
    return CheckpointPlan.prepare(properties, readerSettings, properties.kafka().embedded());
  }

  @Bean
  @DependsOn("jobWriterLocks") // the files are opened only by the instance that holds them
  JobOutputs jobOutputs(AggProperties properties, JobInput input, RunnerChoice runner, ObjectProvider<KafkaJob> kafka,
      CheckpointPlan checkpoints) {
    JobOutputs outputs = JobOutputs.resolve(properties.output().path(), properties.output().deadLetterPath(),
        input.files(), properties.mode() == AggProperties.Mode.BATCH, properties.runsUntilStopped(),
        OutputSharding.shards(properties, runner));
    KafkaJob kafkaJob = kafka.getIfAvailable();
    if (kafkaJob != null) {
      outputs = outputs.withTopics(kafkaJob.resultsTopic(), kafkaJob.deadLetterTopic());
    }
    if (!checkpoints.enabled()) {
      return outputs;
    }
    outputs.prepareCommitRecords(checkpoints.run(), checkpoints.restoreFrom());
    return outputs.exactlyOnce(checkpoints.run());
  }
}
