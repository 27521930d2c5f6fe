package io.windowpane.source;

import io.windowpane.pipeline.LineChunk;
import io.windowpane.pipeline.ParseEvents;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;

/** A source of raw lines (files, a scenario), parsed: the events and the lines that are none ({@link ParseEvents}). */
public final class ParsedLines extends PTransform<PBegin, PCollectionTuple> {

  private final PTransform<PBegin, PCollection<LineChunk>> lines;

  public ParsedLines(PTransform<PBegin, PCollection<LineChunk>> lines) {
    this.lines = lines;
  }

  @Override
  public PCollectionTuple expand(PBegin begin) {
    return begin.apply("ReadLines", lines).apply("ParseEvents", new ParseEvents());
  }
}
