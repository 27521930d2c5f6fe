package io.windowpane.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
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
// Unknown agg.* properties (typos) fail the binding instead of being ignored.
@ConfigurationProperties(prefix = "agg", ignoreUnknownFields = false)
@Validated
public record AggProperties(
    @NotNull Mode mode,
    @NotNull @Valid Window window,
    @NotNull @Valid Trigger trigger,
    @NotNull @Valid Batch batch,
    @NotNull @Valid Stream stream,
    @NotNull @Valid Output output,
    @NotNull @Valid Kafka kafka,
    @NotNull RunnerKind runner,
    @DefaultValue @NotNull @Valid Checkpoint checkpoint,
    @DefaultValue("keep") @NotNull Shutdown shutdown,
    @DefaultValue @NotNull @Valid EventShape event,
    @DefaultValue("count,sum") List<String> aggregates,
    @DefaultValue @NotNull @Valid Input input,
    @DefaultValue List<String> runnerArgs,
    boolean exitWhenDone,
    @NotNull @DurationMin(millis = 100) Duration progressInterval) {

  public AggProperties {
    runnerArgs = List.copyOf(runnerArgs);
    aggregates = List.copyOf(aggregates);
  }

  /**
   * Which fields of the user's events the job reads (SPEC section 14); the defaults are the tutorial's shape.
   *
   * @param key one or more field paths, grouped together ({@code order.customer.id}, or a JSON Pointer)
   * @param time the event time's field
   * @param timeFormat {@code auto}, {@code iso}, {@code epoch-seconds|millis|micros|nanos} or a java.time pattern
   * @param timeZone the zone of times without an offset
   * @param value the numeric field of the aggregates other than count; may be empty with {@code count} alone
   * @param filter conditions that must all hold: {@code PATH=A|B}, {@code PATH!=A|B}
   * @param maxFuture a live input's event more than this ahead of the wall clock is a dead letter
   */
  public record EventShape(
      @DefaultValue("user_id") List<String> key,
      @DefaultValue("event_time") String time,
      @DefaultValue("auto") String timeFormat,
      @DefaultValue("UTC") String timeZone,
      @DefaultValue("amount") String value,
      @DefaultValue List<String> filter,
      @DefaultValue("1h") @NotNull @DurationMin(millis = 0, message = "must not be negative") Duration maxFuture) {

    public EventShape {
      key = List.copyOf(key);
      filter = List.copyOf(filter);
    }
  }

  /**
   * How input files are read.
   *
   * @param format {@code auto} (by file name: {@code .csv} is CSV), {@code json} or {@code csv}
   */
  public record Input(@DefaultValue("auto") @NotNull InputFormat format, @DefaultValue @NotNull @Valid Csv csv) {}

  /** @param delimiter the CSV field delimiter, one character */
  public record Csv(@DefaultValue(",") String delimiter) {}

  /** How input files are read. */
  public enum InputFormat {
    AUTO,
    JSON,
    CSV
  }

  /** A live Kafka job: it runs until the application is stopped, where every other job finishes on its own. */
  public boolean runsUntilStopped() {
    return mode == Mode.STREAM && stream.source() == StreamSource.KAFKA && kafka.stopAt() == StopAt.NEVER;
  }

  /**
   * Bounded input: a file, or a Kafka topic read up to its end offsets at start. The whole input is read before the
   * watermark moves, so the job gives batch results. (With allowed lateness, the FlinkRunner also fired a second,
   * empty ON_TIME pane per window when the watermark jumped past a window's end and its lateness at once.)
   */
  public boolean readsBoundedInput() {
    return mode == Mode.BATCH || (stream.source() == StreamSource.KAFKA && kafka.stopAt() == StopAt.END);
  }

  /** A scripted TestStream scenario. */
  public boolean readsScenario() {
    return mode == Mode.STREAM && stream.source() == StreamSource.SCENARIO;
  }

  /**
   * A live job on Flink: its state is checkpointed to {@code agg.checkpoint.dir} and a restart resumes from it
   * (SPEC section 13).
   */
  public boolean checkpointed() {
    return runsUntilStopped() && runner != RunnerKind.DIRECT; // auto runs a live job on Flink (RunnerChoice)
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
    /** The runner that suits the input: {@code io.windowpane.runner.RunnerChoice}. */
    AUTO,
    /** Beam's DirectRunner, embedded: the reference for semantics. */
    DIRECT,
    /** Beam's FlinkRunner: an embedded local Flink cluster, or a real one with --flinkMaster in runner-args. */
    FLINK
  }

  /**
   * Checkpoints of a live job (SPEC section 13).
   *
   * @param interval how often the job's state (open windows, source positions) is checkpointed
   * @param dir a folder (relative to the working directory) or a URI the runner supports
   * @param restore {@code latest}: resume from the newest complete checkpoint; {@code never}: start fresh
   */
  public record Checkpoint(
      @DefaultValue("10s") @NotNull @DurationMin(millis = 100, message = "must be at least 100ms") Duration interval,
      @DefaultValue("checkpoints") @NotBlank String dir,
      @DefaultValue("latest") @NotNull Restore restore) {}

  /** What SIGTERM does to a live job (SPEC section 13: stopping is not ending). */
  public enum Shutdown {
    /**
     * Stop and keep: a checkpointed job stops with a savepoint that keeps its open windows, and the next start resumes
     * them. A job that cannot keep state (the DirectRunner, the embedded broker's demo) drains instead.
     */
    KEEP,
    /** End for good: every open window fires its final pane now, then the job stops; those windows stay closed. */
    DRAIN
  }

  /** Where a live job starts. */
  public enum Restore {
    /** From the newest complete checkpoint that fits the configuration, if there is one. */
    LATEST,
    /** Fresh: no state, the consumer group's committed offsets (else the topic's start). */
    NEVER
  }

  /**
   * @param type {@code fixed}, {@code sliding} or {@code session}
   * @param size window length, for fixed and sliding windows
   * @param period sliding windows: how often a window starts (at most {@code size}); {@code null} when not set
   * @param gap session windows: the inactivity that closes a user's session; {@code null} when not set
   */
  public record Window(
      @NotNull WindowType type,
      @NotNull @DurationMin(millis = 1, message = "must be greater than 0") Duration size,
      @DurationMin(millis = 1, message = "must be greater than 0") Duration period,
      @DurationMin(millis = 1, message = "must be greater than 0") Duration gap,
      @NotNull @DurationMin(millis = 0, message = "must not be negative") Duration allowedLateness) {}

  /** The kinds of event-time window (SPEC section 10). */
  public enum WindowType {
    FIXED,
    SLIDING,
    SESSION
  }

  /**
   * @param closingBehavior what a window does when it expires with nothing new since its last pane
   */
  public record Trigger(
      @NotNull @DurationMin(millis = 0, message = "must not be negative") Duration earlyDelay,
      @NotNull @DurationMin(millis = 0, message = "must not be negative") Duration lateDelay,
      @NotNull Accumulation accumulation,
      @DefaultValue("fire-if-non-empty") @NotNull ClosingBehavior closingBehavior) {}

  /** Beam's closing behaviour: whether an expiring window fires a last pane with nothing new in it. */
  public enum ClosingBehavior {
    /** Beam's default: a window fires when it expires only if something came since its last pane. */
    FIRE_IF_NON_EMPTY,
    /** Every window ends with a pane marked last when its end plus the allowed lateness passes. */
    FIRE_ALWAYS
  }

  /** {@code input}: a path, a glob or a {@code classpath:} resource of JSON Lines events. */
  public record Batch(@NotNull String input) {}

  /**
   * {@code source}: where a stream job's events come from; {@code scenario}: a YAML scenario file, or a
   * {@code classpath:} resource.
   */
  public record Stream(@NotNull StreamSource source, @NotNull String scenario) {}

  /** The input of a stream job. */
  public enum StreamSource {
    /** A scripted TestStream (SPEC section 4). */
    SCENARIO,
    /** A Kafka topic (SPEC section 9). */
    KAFKA
  }

  /**
   * Kafka input and output (SPEC section 9). Connection settings are Spring Boot's own {@code spring.kafka.*}.
   *
   * @param replay JSON Lines file or glob published into the input topic; empty for none
   * @param replayPacing {@code auto}: real time for the embedded demo's built-in sample, else fast
   * @param connectTimeout how long startup waits for the cluster to answer before giving up (exit code 2)
   */
  public record Kafka(
      @NotBlank String inputTopic,
      @DefaultValue("") String outputTopic,
      @DefaultValue("") String deadLetterTopic,
      @NotNull @DurationMin(millis = 0, message = "must not be negative") Duration maxOutOfOrderness,
      boolean embedded,
      @DefaultValue("") String replay,
      @NotNull ReplayPacing replayPacing,
      @NotNull StopAt stopAt,
      @NotNull @DurationMin(millis = 100) Duration connectTimeout) {}

  /** How a replay is published. */
  public enum ReplayPacing {
    AUTO,
    FAST,
    REAL_TIME
  }

  /** When a Kafka job ends. */
  public enum StopAt {
    /** Runs until stopped (SIGTERM). */
    NEVER,
    /** Reads up to the end offsets found at start, fires every final pane and ends. */
    END
  }

  /**
   * Empty paths mean stdout for results and stderr (or {@code <path>.invalid}) for rejected lines.
   *
   * @param layout how file outputs are written: one file, or Beam's sharded file sink (SPEC section 11)
   * @param shards sharded layout: the number of shards; 0 = the Flink {@code --parallelism} when given, else 1
   * @param diagramPath when set, the pane diagram is written there as a standalone HTML file when the job ends
   */
  public record Output(
      @DefaultValue("") String path,
      @DefaultValue("") String deadLetterPath,
      @DefaultValue("auto") @NotNull OutputLayout layout,
      @DefaultValue("0") @Min(0) int shards,
      @DefaultValue("") String diagramPath) {}

  /** How an output path becomes files. */
  public enum OutputLayout {
    /** Sharded on a remote Flink cluster or with Flink {@code --parallelism} above 1, else one file. */
    AUTO,
    /** Exactly the file at the path, written by windowpane's own appending writer. */
    SINGLE_FILE,
    /** Beam's file sink: shards beside the path, written to temporary files and renamed when complete. */
    SHARDED
  }
}
