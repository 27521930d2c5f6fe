package io.windowpane.sink;

import io.windowpane.config.InvalidJobSpecException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the job's result rows and rejected lines go. Files are created (with their folders) and emptied when the
 * outputs are resolved at startup, so an unwritable path stops the application before any work is done, and every
 * run writes fresh files; the sinks themselves only append.
 */
public record JobOutputs(LineTarget results, LineTarget deadLetters, KafkaTarget resultsTopic,
    KafkaTarget deadLetterTopic) {

  /**
   * The same outputs, with result rows also published to {@code resultsTopic} and rejected lines going to
   * {@code deadLetterTopic} instead of {@link #deadLetters()}; either may be {@code null}.
   */
  public JobOutputs withTopics(KafkaTarget resultsTopic, KafkaTarget deadLetterTopic) {
    return new JobOutputs(results, deadLetters, resultsTopic, deadLetterTopic);
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
   * carries result rows only). Neither may be one of the {@code inputs}: emptying it would destroy the input.
   */
  public static JobOutputs resolve(String resultPath, String deadLetterPath, List<Path> inputs) {
    LineTarget results = resultPath.isBlank() ? LineTarget.stdout() : LineTarget.file(resultPath);
    LineTarget deadLetters;
    if (!deadLetterPath.isBlank()) {
      deadLetters = LineTarget.file(deadLetterPath);
    } else {
      deadLetters = resultPath.isBlank() ? LineTarget.stderr() : LineTarget.file(resultPath + ".invalid");
    }
    if (results.equals(deadLetters) && results.kind() == LineTarget.Kind.FILE) {
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
    return new JobOutputs(results, deadLetters, null, null);
  }

  private static void refuseInput(LineTarget target, List<Path> inputs, String property, String value) {
    if (target.kind() != LineTarget.Kind.FILE) {
      return;
    }
    Path output = Path.of(target.file()).toAbsolutePath().normalize();
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
