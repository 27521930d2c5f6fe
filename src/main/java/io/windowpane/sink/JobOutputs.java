package io.windowpane.sink;

import io.windowpane.config.InvalidJobSpecException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/**
 * Where the job's result rows and rejected lines go. Files are created (with their folders) when the outputs are
 * resolved at startup, so an unwritable path stops the application before any work is done. A batch job writes
 * staged files that replace the ones at the paths only when it succeeded ({@link #commit()}); a stream job writes
 * the files at their paths as panes fire (a live job appends to them). Where workers are not threads of this JVM,
 * file outputs are Beam's shards ({@link WriteShards}) instead of one appended file ({@link WriteLines}). A
 * checkpointed live job writes its files and topics exactly once ({@link WriteFileExactlyOnce}, {@link KafkaTopicSink}).
 *
 * @param exactlyOnceRun the checkpointed run whose outputs are written exactly once; {@code null} when they are
 *     written as rows come
 */
public record JobOutputs(LineTarget results, LineTarget deadLetters, KafkaTarget resultsTopic,
    KafkaTarget deadLetterTopic, String exactlyOnceRun) {

  /**
   * The same outputs, with result rows also published to {@code resultsTopic} and rejected lines going to
   * {@code deadLetterTopic} instead of {@link #deadLetters()}; either may be {@code null}.
   */
  public JobOutputs withTopics(KafkaTarget resultsTopic, KafkaTarget deadLetterTopic) {
    return new JobOutputs(results, deadLetters, resultsTopic, deadLetterTopic, exactlyOnceRun);
  }

  /**
   * The same outputs, written exactly once for a checkpointed run: files through their commit records, topics in
   * Kafka transactions whose group is named after the run (it must stay the same when the run resumes, and change
   * with a fresh start).
   */
  public JobOutputs exactlyOnce(String run) {
    return new JobOutputs(results, deadLetters, resultsTopic == null ? null : resultsTopic.exactlyOnce(run),
        deadLetterTopic == null ? null : deadLetterTopic.exactlyOnce(run), run);
  }

  /**
   * Prepares the output files of a checkpointed run before its job is submitted ({@link CommittedFile#prepareStart}),
   * and refuses (exit code 2) a commit record that cannot be read, or a resume while a results or dead-letter file
   * holds rows but lost its record: the checkpoint may hold staged batches the file already has, and without the
   * record they could not be told apart, so they would be written twice. Checked here because the same refusal in
   * the job only fails a task, which Flink then restarts over and over.
   *
   * @param resumedFrom the checkpoint or savepoint the run resumes; null for a fresh start
   */
  public void prepareCommitRecords(String run, String resumedFrom) {
    List<LineTarget> files = deadLetterTopic == null ? List.of(results, deadLetters) : List.of(results);
    for (LineTarget file : files) {
      if (file.kind() != LineTarget.Kind.FILE) {
        continue;
      }
      // a dead-letter file beside the results (no path of its own) is reported under agg.output.path, as resolve does
      boolean besideResults = file == deadLetters && results.path() != null
          && file.path().equals(deadLetterFile(results.path(), ""));
      String property = file == deadLetters && !besideResults ? "agg.output.dead-letter-path" : "agg.output.path";
      String value = besideResults ? results.path() : file.path();
      String problem;
      try {
        problem = CommittedFile.prepareStart(Path.of(file.path()), run, resumedFrom != null);
      } catch (IOException e) {
        throw new InvalidJobSpecException(property, value, e.getMessage(), e);
      }
      if (problem != null) {
        throw new InvalidJobSpecException(property, value, problem + ", and the job resumes " + resumedFrom
            + ", whose rows not yet committed could not be told apart from rows the file holds. Put the record back"
            + " (copy and restore it with the file), or move the file away for the resumed job to write a new one");
      }
    }
  }

  /** Where rejected lines end up, for the logs. */
  public String deadLetterDescription() {
    return deadLetterTopic != null ? deadLetterTopic.toString() : deadLetters.toString();
  }

  /** Where result rows end up, for the logs. */
  public String resultsDescription() {
    return resultsTopic != null ? results + " and " + resultsTopic : results.toString();
  }

  /**
   * Resolves {@code agg.output.path} and {@code agg.output.dead-letter-path}: results to the file or stdout;
   * rejected lines to their own path, else beside the results as {@code <path>.invalid}, else stderr (stdout
   * carries result rows only). Neither may be one of the {@code inputs}: it would be overwritten.
   *
   * @param staged write files under a temporary name and move them into place when the job succeeded (batch)
   * @param append keep what the files hold and append to them (a live job)
   * @param shards 0: each output is one file; else the number of shards Beam's file sink writes per output
   */
  public static JobOutputs resolve(String resultPath, String deadLetterPath, List<Path> inputs, boolean staged,
      boolean append, int shards) {
    Function<String, LineTarget> file;
    if (shards > 0) {
      file = path -> LineTarget.shards(path, shards, staged);
    } else if (staged) {
      file = LineTarget::stagedFile;
    } else {
      file = append ? LineTarget::appendedFile : LineTarget::file;
    }
    LineTarget results = resultPath.isBlank() ? LineTarget.stdout() : file.apply(resultPath);
    String deadLetterFile = deadLetterFile(resultPath, deadLetterPath);
    LineTarget deadLetters = deadLetterFile == null ? LineTarget.stderr() : file.apply(deadLetterFile);
    if (results.equals(deadLetters) && results.path() != null) {
      throw new InvalidJobSpecException("agg.output.dead-letter-path", deadLetterPath,
          "must differ from agg.output.path: rejected lines would be mixed with result rows");
    }
    // Without its own path, the dead-letter file follows agg.output.path: a problem with it is reported there.
    boolean ownDeadLetterPath = !deadLetterPath.isBlank();
    String deadLetterProperty = ownDeadLetterPath ? "agg.output.dead-letter-path" : "agg.output.path";
    String deadLetterValue = ownDeadLetterPath ? deadLetterPath : resultPath;
    refuseInput(results, inputs, "agg.output.path", resultPath);
    refuseInput(deadLetters, inputs, deadLetterProperty, deadLetterValue);
    prepare(results, "agg.output.path", resultPath);
    prepare(deadLetters, deadLetterProperty, deadLetterValue);
    return new JobOutputs(results, deadLetters, null, null, null);
  }

  /**
   * The file rejected lines go to: {@code agg.output.dead-letter-path}, else {@code <agg.output.path>.invalid};
   * {@code null} for stderr (no file path given at all).
   */
  public static String deadLetterFile(String resultPath, String deadLetterPath) {
    if (!deadLetterPath.isBlank()) {
      return deadLetterPath;
    }
    return resultPath.isBlank() ? null : resultPath + ".invalid";
  }

  /** The transform that writes result rows (as JSON lines) to {@link #results()}. */
  public PTransform<PCollection<String>, PDone> resultsSink() {
    return sink(results);
  }

  /** The transform that writes rejected lines (as JSON lines) to {@link #deadLetters()}. */
  public PTransform<PCollection<String>, PDone> deadLetterSink() {
    return sink(deadLetters);
  }

  private PTransform<PCollection<String>, PDone> sink(LineTarget target) {
    if (target.kind() == LineTarget.Kind.SHARDS) {
      return new WriteShards(target);
    }
    if (target.kind() == LineTarget.Kind.FILE && exactlyOnceRun != null) {
      return new WriteFileExactlyOnce(target, exactlyOnceRun);
    }
    return new WriteLines(target); // standard streams: best effort, as they come
  }

  /** The job succeeded: staged files move into place (results last, so they never appear without their dead letters). */
  public void commit() throws IOException {
    deadLetters.commit();
    results.commit();
  }

  /** The job failed or was stopped: staged files are removed; what was at the paths stays. */
  public void discard() throws IOException {
    results.discard();
    deadLetters.discard();
  }

  private static void refuseInput(LineTarget target, List<Path> inputs, String property, String value) {
    if (target.path() == null) {
      return;
    }
    Path output = Path.of(target.path()).toAbsolutePath().normalize();
    for (Path input : inputs) {
      if (input.toAbsolutePath().normalize().equals(output)) {
        throw new InvalidJobSpecException(property, value,
            "is an input of this job (" + input + "): writing it would destroy the input");
      }
    }
  }

  private static void prepare(LineTarget target, String property, String value) {
    try {
      target.prepare();
    } catch (IOException | RuntimeException e) {
      throw new InvalidJobSpecException(property, value, "cannot write " + target + ": " + e, e);
    }
  }
}
