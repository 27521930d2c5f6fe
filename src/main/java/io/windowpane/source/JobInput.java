package io.windowpane.source;

import io.windowpane.pipeline.EventMapping;
import io.windowpane.pipeline.EventReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * The job's resolved input: a source transform producing the events read and the input that is no event (the
 * outputs of {@link io.windowpane.pipeline.ParseEvents}, each line or record parsed once), a description for the
 * logs, the local files it reads (which no output may overwrite), and the scenario for a scripted stream (else
 * {@code null}), whose steps the pane diagram draws. The only part of the pipeline that differs
 * between batch and stream.
 */
public record JobInput(
    String description, PTransform<PBegin, PCollectionTuple> source, List<Path> files, Scenario scenario) {

  public JobInput {
    files = List.copyOf(files);
  }

  /** An input that is not a scenario. */
  public JobInput(String description, PTransform<PBegin, PCollectionTuple> source, List<Path> files) {
    this(description, source, files, null);
  }

  /** The total size of {@link #files()} now, in bytes: a batch job's input. */
  public long sizeBytes() {
    long bytes = 0;
    for (Path file : files) {
      try {
        bytes += Files.size(file);
      } catch (IOException e) {
        // unreadable: the job's read reports it
      }
    }
    return bytes;
  }

  /** Events of the tutorial's shape from files. */
  public static JobInput batch(Inputs.MatchedFiles input) {
    return batch(input, new EventReader(EventMapping.DEFAULT));
  }

  /** Events from files, JSON Lines or CSV, read under the job's event mapping. */
  public static JobInput batch(Inputs.MatchedFiles input, EventReader reader) {
    boolean csv = !input.files().isEmpty() && input.files().stream()
        .allMatch(file -> reader.mapping().isCsv(file.getFileName().toString()));
    return new JobInput((csv ? "CSV events from " : "JSON Lines events from ") + input.pattern(),
        new ParsedLines(new BatchFileSource(input.pattern()), false, reader), input.files());
  }

  /** See {@link ScenarioSource#ScenarioSource(Scenario, boolean)} for {@code skipProcessingTime}. */
  public static JobInput stream(Scenario scenario, boolean skipProcessingTime) {
    return stream(scenario, skipProcessingTime, new EventReader(EventMapping.DEFAULT));
  }

  /** A scenario whose events are read under the job's event mapping. */
  public static JobInput stream(Scenario scenario, boolean skipProcessingTime, EventReader reader) {
    return new JobInput(
        "scenario " + scenario.location() + " (" + scenario.steps().size() + " steps, base-time "
            + scenario.baseTime() + ")",
        new ParsedLines(new ScenarioSource(scenario, skipProcessingTime), true, reader),
        scenario.location().startsWith(Inputs.CLASSPATH_PREFIX) ? List.of() : List.of(Path.of(scenario.location())),
        scenario);
  }
}
