package io.windowpane.source;

import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * The job's resolved input: a source transform producing raw lines keyed by their origin, and a description for
 * the logs. The only part of the pipeline that differs between batch and stream.
 */
public record JobInput(String description, PTransform<PBegin, PCollection<KV<String, String>>> source) {

  public static JobInput batch(String filePattern) {
    return new JobInput("JSON Lines events from " + filePattern, new BatchFileSource(filePattern));
  }

  /** See {@link ScenarioSource#ScenarioSource(Scenario, boolean)} for {@code skipProcessingTime}. */
  public static JobInput stream(Scenario scenario, boolean skipProcessingTime) {
    return new JobInput(
        "scenario " + scenario.location() + " (" + scenario.steps().size() + " steps, base-time "
            + scenario.baseTime() + ")",
        new ScenarioSource(scenario, skipProcessingTime));
  }
}
