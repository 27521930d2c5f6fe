package io.windowpane.pipeline;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Instant;

/**
 * Raw input lines, in chunks from where they came from, to events stamped with their event time. Lines that cannot
 * become events go to {@link #INVALID} with the reason; blank lines are skipped. Counts {@code events_read} and
 * {@code events_invalid} ({@link ParseTally}). A source that parses as it reads (Kafka) emits the same two outputs.
 */
public class ParseEvents extends PTransform<PCollection<LineChunk>, PCollectionTuple> {

  public static final TupleTag<Event> VALID = new TupleTag<>() {};
  public static final TupleTag<InvalidLine> INVALID = new TupleTag<>() {};

  private final EventReader reader;
  private final boolean keepOrigins;

  /** Events of the tutorial's shape without their origins: for bounded input, where nothing can be late. */
  public ParseEvents() {
    this(new EventReader(EventMapping.DEFAULT), false);
  }

  /**
   * @param reader reads events under the job's mapping
   * @param keepOrigins events keep where they were read ({@link Event#origin()}), for a live input: one that comes
   *     too late for its windows becomes a dead letter with its line ({@link SplitOffLateEvents})
   */
  public ParseEvents(EventReader reader, boolean keepOrigins) {
    this.reader = reader;
    this.keepOrigins = keepOrigins;
  }

  /** Events of the tutorial's shape that keep where they were read. */
  public static ParseEvents keepingOrigins() {
    return new ParseEvents(new EventReader(EventMapping.DEFAULT), true);
  }

  @Override
  public PCollectionTuple expand(PCollection<LineChunk> lines) {
    PCollectionTuple parsed =
        lines.apply(
            "ParseAndValidate",
            ParDo.of(new ParseEventFn(reader, keepOrigins)).withOutputTags(VALID, TupleTagList.of(INVALID)));
    parsed.get(VALID).setCoder(Coders.EVENT);
    parsed.get(INVALID).setCoder(Coders.INVALID_LINE);
    return parsed;
  }

  /**
   * Parses each line of a chunk; an event's own time becomes its element timestamp. A CSV file's lines are read
   * under its header, its first line, which this step reads from the file itself: a file is read in parts, and the
   * part a chunk comes from may not hold the header.
   */
  static class ParseEventFn extends DoFn<LineChunk, Event> {

    private final EventReader reader;
    private final boolean keepOrigins;
    private transient ParseTally tally;
    private transient Map<String, CsvHeader> headers;

    ParseEventFn(EventReader reader, boolean keepOrigins) {
      this.reader = reader;
      this.keepOrigins = keepOrigins;
    }

    @Setup
    public void setup() {
      tally = new ParseTally();
      headers = new HashMap<>();
    }

    @ProcessElement
    public void processElement(@Element LineChunk chunk, MultiOutputReceiver out) {
      List<String> lines = chunk.lines();
      CsvHeader header = reader.mapping().isCsv(chunk.origin())
          ? headers.computeIfAbsent(chunk.origin(), file -> CsvHeader.of(file, reader)) : null;
      for (int i = 0; i < lines.size(); i++) {
        long offset = chunk.offset(i);
        ParsedLine parsed;
        if (header == null) {
          parsed = reader.parseJson(lines.get(i));
        } else if (offset == 0) {
          if (header.problem() == null) {
            continue; // the header itself: no event, not counted
          }
          parsed = ParsedLine.invalid(lines.get(i), header.problem());
        } else if (header.problem() != null) {
          parsed = ParsedLine.invalid(lines.get(i), "the file has no usable CSV header: " + header.problem());
        } else {
          parsed = reader.parseCsv(lines.get(i), header.columns());
        }
        emit(parsed, chunk.origin(), offset == LineChunk.NO_OFFSET ? null : offset, keepOrigins, tally, out);
      }
      tally.flush(); // per chunk: a chunk holds many lines
    }
  }

  /**
   * One parsed line on to the job, for every reader (files, scenarios, Kafka): its event, with where it was read when
   * origins are kept, or a dead letter from {@code origin} at {@code offset} (null when unknown); counted in
   * {@code tally}. A blank line is skipped; an event the filter does not take is skipped and counted.
   */
  public static void emit(ParsedLine parsed, String origin, Long offset, boolean keepOrigins, ParseTally tally,
      DoFn.MultiOutputReceiver out) {
    if (parsed.isBlank()) {
      return;
    }
    if (parsed.isFiltered()) {
      tally.filtered();
      return;
    }
    if (parsed.event() != null) {
      tally.valid(parsed.event());
      Event event = keepOrigins
          ? parsed.event().readFrom(new LineOrigin(origin, offset, parsed.line()))
          : parsed.event();
      out.get(VALID).outputWithTimestamp(event, new Instant(event.eventTimeMillis()));
    } else {
      tally.invalid();
      out.get(INVALID).output(new InvalidLine(origin, offset, parsed.line(), parsed.invalidReason()));
    }
  }
}
