package io.windowpane.job;

import io.windowpane.config.AggProperties;
import io.windowpane.sink.JobOutputs;
import io.windowpane.source.Inputs;
import io.windowpane.source.JobInput;
import io.windowpane.source.ScenarioLoader;
import io.windowpane.source.kafka.KafkaJob;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Resolves the configured input and outputs at startup, so a missing file, a bad scenario or an unwritable output
 * stops the application with exit code 2 before any work is done.
 */
@Configuration(proxyBeanMethods = false)
class JobConfiguration {

  @Bean
  JobInput jobInput(AggProperties properties, ObjectProvider<KafkaJob> kafka) {
    return switch (properties.mode()) {
      case BATCH -> JobInput.batch(Inputs.filePattern("agg.batch.input", properties.batch().input()));
      case STREAM -> switch (properties.stream().source()) {
        case SCENARIO -> JobInput.stream(ScenarioLoader.load(properties.stream().scenario()),
            properties.runner() == AggProperties.RunnerKind.FLINK);
        case KAFKA -> kafka.getObject().input();
      };
    };
  }

  @Bean
  JobOutputs jobOutputs(AggProperties properties, JobInput input, ObjectProvider<KafkaJob> kafka) {
    JobOutputs outputs = JobOutputs.resolve(properties.output().path(), properties.output().deadLetterPath(),
        input.files(), properties.mode() == AggProperties.Mode.BATCH, OutputSharding.shards(properties));
    KafkaJob kafkaJob = kafka.getIfAvailable();
    return kafkaJob == null ? outputs : outputs.withTopics(kafkaJob.resultsTopic(), kafkaJob.deadLetterTopic());
  }
}
