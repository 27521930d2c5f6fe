package io.windowpane.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Every setting of the job, bound from the {@code agg.*} properties (SPEC section 2). The defaults live in
 * {@code application.yml}; this record is the only place configuration is read.
 */
@ConfigurationProperties("agg")
@Validated
public record AggProperties(
    @NotNull Mode mode,
    @NotNull @Valid Window window,
    @NotNull @Valid Trigger trigger,
    @NotNull @Valid Batch batch,
    @NotNull @Valid Stream stream,
    @NotNull @Valid Output output,
    @NotNull RunnerKind runner,
    @DefaultValue List<String> runnerArgs,
    boolean exitWhenDone,
    @NotNull @DurationMin(millis = 100) Duration progressInterval) {

  public AggProperties {
    runnerArgs = List.copyOf(runnerArgs);
  }

  /** Which source feeds the pipeline. */
  public enum Mode {
    /** Bounded JSON Lines input: every window gets exactly one ON_TIME pane. */
    BATCH,
    /** A scripted TestStream scenario: watermark and processing time move as the scenario says. */
    STREAM
  }

  /** What a fired pane keeps. */
  public enum Accumulation {
    ACCUMULATING,
    DISCARDING
  }

  /** Which Beam runner executes the pipeline. */
  public enum RunnerKind {
    /** Beam's DirectRunner, embedded: the reference for semantics. */
    DIRECT,
    /** Beam's FlinkRunner: an embedded local Flink cluster, or a real one with --flinkMaster in runner-args. */
    FLINK
  }

  public record Window(
      @NotNull @DurationMin(millis = 1, message = "must be greater than 0") Duration size,
      @NotNull @DurationMin(millis = 0, message = "must not be negative") Duration allowedLateness) {}

  public record Trigger(
      @NotNull @DurationMin(millis = 0, message = "must not be negative") Duration earlyDelay,
      @NotNull @DurationMin(millis = 0, message = "must not be negative") Duration lateDelay,
      @NotNull Accumulation accumulation) {}

  /** {@code input}: a path, a glob or a {@code classpath:} resource of JSON Lines events. */
  public record Batch(@NotNull String input) {}

  /** {@code scenario}: a YAML scenario file, or a {@code classpath:} resource. */
  public record Stream(@NotNull String scenario) {}

  /** Empty paths mean stdout for results and stderr (or {@code <path>.invalid}) for rejected lines. */
  public record Output(@DefaultValue("") String path, @DefaultValue("") String deadLetterPath) {}
}
