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
  private final boolean live;

  /** @param live whether the events keep their origins, for the lateness check of a live input */
  public ParsedLines(PTransform<PBegin, PCollection<LineChunk>> lines, boolean live) {
    this.lines = lines;
    this.live = live;
  }

  @Override
  public PCollectionTuple expand(PBegin begin) {
    return begin.apply("ReadLines", lines)
        .apply("ParseEvents", live ? ParseEvents.keepingOrigins() : new ParseEvents());
  }
}
