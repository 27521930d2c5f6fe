package io.windowpane.pipeline;

import java.util.List;
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

  private final boolean keepOrigins;

  /** Events without their origins: for bounded input, where nothing can be late. */
  public ParseEvents() {
    this(false);
  }

  private ParseEvents(boolean keepOrigins) {
    this.keepOrigins = keepOrigins;
  }

  /**
   * Events that keep where they were read ({@link Event#origin()}), for a live input: one that comes too late for its
   * windows becomes a dead letter with its line ({@link SplitOffLateEvents}).
   */
  public static ParseEvents keepingOrigins() {
    return new ParseEvents(true);
  }

  @Override
  public PCollectionTuple expand(PCollection<LineChunk> lines) {
    PCollectionTuple parsed =
        lines.apply(
            "ParseAndValidate",
            ParDo.of(new ParseEventFn(keepOrigins)).withOutputTags(VALID, TupleTagList.of(INVALID)));
    parsed.get(VALID).setCoder(Coders.EVENT);
    parsed.get(INVALID).setCoder(Coders.INVALID_LINE);
    return parsed;
  }

  /** Parses each line of a chunk; an event's own time becomes its element timestamp. */
  static class ParseEventFn extends DoFn<LineChunk, Event> {

    private final boolean keepOrigins;
    private transient ParseTally tally;

    ParseEventFn(boolean keepOrigins) {
      this.keepOrigins = keepOrigins;
    }

    @Setup
    public void setup() {
      tally = new ParseTally();
    }

    @ProcessElement
    public void processElement(@Element LineChunk chunk, MultiOutputReceiver out) {
      List<String> lines = chunk.lines();
      for (int i = 0; i < lines.size(); i++) {
        long offset = chunk.offset(i);
        emit(ParsedLine.of(lines.get(i)), chunk.origin(), offset == LineChunk.NO_OFFSET ? null : offset, keepOrigins,
            tally, out);
      }
      tally.flush(); // per chunk: a chunk holds many lines
    }
  }

  /**
   * One parsed line on to the job, for every reader (files, scenarios, Kafka): its event, with where it was read when
   * origins are kept, or a dead letter from {@code origin} at {@code offset} (null when unknown); counted in
   * {@code tally}. A blank line is skipped.
   */
  public static void emit(ParsedLine parsed, String origin, Long offset, boolean keepOrigins, ParseTally tally,
      DoFn.MultiOutputReceiver out) {
    if (parsed.isBlank()) {
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
