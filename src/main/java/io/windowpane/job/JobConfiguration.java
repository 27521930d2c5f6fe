package io.windowpane.job;

import io.windowpane.config.AggProperties;
import io.windowpane.source.Inputs;
import io.windowpane.source.JobInput;
import io.windowpane.source.ScenarioLoader;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Resolves the configured input at startup, so a missing file or a bad scenario stops the app with exit code 2. */
@Configuration(proxyBeanMethods = false)
class JobConfiguration {

  @Bean
  JobInput jobInput(AggProperties properties) {
    return switch (properties.mode()) {
      case BATCH -> JobInput.batch(Inputs.filePattern("agg.batch.input", properties.batch().input()));
      case STREAM -> JobInput.stream(ScenarioLoader.load(properties.stream().scenario()));
    };
  }
}
