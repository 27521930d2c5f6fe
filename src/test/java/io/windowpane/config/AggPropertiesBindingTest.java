package io.windowpane.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;

/** The packaged application.yml binds to the documented defaults, and invalid values fail validation. */
class AggPropertiesBindingTest {

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties(AggProperties.class)
  static class PropertiesOnly {}

  private final ApplicationContextRunner context = new ApplicationContextRunner()
      .withInitializer(new ConfigDataApplicationContextInitializer())
      .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
      .withUserConfiguration(PropertiesOnly.class);

  @Test
  void packagedDefaultsMatchTheSpec() {
    context.run(ctx -> {
      AggProperties p = ctx.getBean(AggProperties.class);
      assertThat(p.mode()).isEqualTo(AggProperties.Mode.STREAM);
      assertThat(p.window().size()).isEqualTo(Duration.ofSeconds(60));
      assertThat(p.window().allowedLateness()).isEqualTo(Duration.ofSeconds(120));
      assertThat(p.trigger().earlyDelay()).isEqualTo(Duration.ofSeconds(10));
      assertThat(p.trigger().lateDelay()).isEqualTo(Duration.ofSeconds(10));
      assertThat(p.trigger().accumulation()).isEqualTo(AggProperties.Accumulation.ACCUMULATING);
      assertThat(p.batch().input()).isEqualTo("classpath:samples/tutorial-events.jsonl");
      assertThat(p.stream().scenario()).isEqualTo("classpath:scenarios/tutorial.yml");
      assertThat(p.output().path()).isEmpty();
      assertThat(p.output().deadLetterPath()).isEmpty();
      assertThat(p.output().layout()).isEqualTo(AggProperties.OutputLayout.AUTO);
      assertThat(p.output().shards()).isZero();
      assertThat(p.runner()).isEqualTo(AggProperties.RunnerKind.AUTO);
      assertThat(p.checkpoint().interval()).isEqualTo(Duration.ofSeconds(10));
      assertThat(p.checkpoint().dir()).isEqualTo("checkpoints");
      assertThat(p.checkpoint().restore()).isEqualTo(AggProperties.Restore.LATEST);
      assertThat(p.runnerArgs()).isEmpty();
      assertThat(p.exitWhenDone()).isFalse();
    });
  }

  @Test
  void onlyLiveKafkaJobsAreCheckpointedAndNotOnTheDirectRunner() {
    context.withPropertyValues("agg.stream.source=kafka").run(ctx ->
        assertThat(ctx.getBean(AggProperties.class).checkpointed()).isTrue());
    context.withPropertyValues("agg.stream.source=kafka", "agg.runner=flink").run(ctx ->
        assertThat(ctx.getBean(AggProperties.class).checkpointed()).isTrue());
    context.withPropertyValues("agg.stream.source=kafka", "agg.kafka.stop-at=end").run(ctx ->
        assertThat(ctx.getBean(AggProperties.class).checkpointed()).isFalse());
    context.withPropertyValues("agg.mode=batch", "agg.runner=flink").run(ctx ->
        assertThat(ctx.getBean(AggProperties.class).checkpointed()).isFalse());
    context.withPropertyValues("agg.stream.source=kafka", "agg.runner=direct").run(ctx ->
        assertThat(ctx.getBean(AggProperties.class).checkpointed()).isFalse());
  }

  @Test
  void overridesUseSpringDurationsAndLenientEnumNames() {
    context.withPropertyValues("agg.mode=batch", "agg.window.size=PT2M", "agg.window.allowed-lateness=0s",
        "agg.trigger.early-delay=1500ms", "agg.trigger.accumulation=DISCARDING",
        "agg.runner-args=--targetParallelism=2").run(ctx -> {
          AggProperties p = ctx.getBean(AggProperties.class);
          assertThat(p.mode()).isEqualTo(AggProperties.Mode.BATCH);
          assertThat(p.window().size()).isEqualTo(Duration.ofMinutes(2));
          assertThat(p.window().allowedLateness()).isZero();
          assertThat(p.trigger().earlyDelay()).isEqualTo(Duration.ofMillis(1500));
          assertThat(p.trigger().accumulation()).isEqualTo(AggProperties.Accumulation.DISCARDING);
          assertThat(p.runnerArgs()).containsExactly("--targetParallelism=2");
        });
  }

  @Test
  void negativeLatenessAndDelaysAreRejectedNamingTheProperty() {
    java.util.Map<String, String> fields = java.util.Map.of(
        "agg.window.allowed-lateness", "window.allowedLateness",
        "agg.trigger.early-delay", "trigger.earlyDelay",
        "agg.trigger.late-delay", "trigger.lateDelay");
    fields.forEach((property, field) -> {
      context.withPropertyValues(property + "=-1s").run(ctx -> {
        assertThat(ctx).hasFailed();
        assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining("field '" + field + "'")
            .hasMessageContaining("must not be negative");
        assertThat(StartupFailures.exitCode(ctx.getStartupFailure())).isEqualTo(2);
      });
    });
  }

  @Test
  void unknownModeAndAccumulationAreRejected() {
    context.withPropertyValues("agg.mode=realtime").run(ctx -> {
      assertThat(ctx).hasFailed();
      assertThat(StartupFailures.exitCode(ctx.getStartupFailure())).isEqualTo(2);
    });
    context.withPropertyValues("agg.trigger.accumulation=sometimes").run(ctx -> {
      assertThat(ctx).hasFailed();
      assertThat(StartupFailures.exitCode(ctx.getStartupFailure())).isEqualTo(2);
    });
  }
}
