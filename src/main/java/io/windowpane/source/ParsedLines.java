package io.windowpane.source;

import io.windowpane.pipeline.EventReader;
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
  private final EventReader reader;

  /**
   * @param live whether the events keep their origins, for the lateness check of a live input
   * @param reader reads the lines under the job's event mapping
   */
  public ParsedLines(PTransform<PBegin, PCollection<LineChunk>> lines, boolean live, EventReader reader) {
    this.lines = lines;
    this.live = live;
    this.reader = reader;
  }

  @Override
  public PCollectionTuple expand(PBegin begin) {
    return begin.apply("ReadLines", lines)
        .apply("ParseEvents", new ParseEvents(reader, live));
  }
}
