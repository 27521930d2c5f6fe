package io.windowpane.pipeline;

import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Instant;

/**
 * Raw input lines, keyed by where they came from, to events stamped with their event time. Lines that cannot
 * become events go to {@link #INVALID} with the reason; blank lines are skipped. Counts {@code events_read} and
 * {@code events_invalid}.
 */
public class ParseEvents extends PTransform<PCollection<KV<String, String>>, PCollectionTuple> {

  public static final TupleTag<Event> VALID = new TupleTag<>() {};
  public static final TupleTag<InvalidLine> INVALID = new TupleTag<>() {};

  @Override
  public PCollectionTuple expand(PCollection<KV<String, String>> lines) {
    PCollectionTuple parsed =
        lines.apply(
            "ParseAndValidate", ParDo.of(new ParseEventFn()).withOutputTags(VALID, TupleTagList.of(INVALID)));
    parsed.get(VALID).setCoder(EventCoder.of());
    parsed.get(INVALID).setCoder(InvalidLineCoder.of());
    return parsed;
  }

  /** Parses one line; the event's own time becomes the element timestamp. */
  static class ParseEventFn extends DoFn<KV<String, String>, Event> {

    private final Counter read = PipelineMetrics.counter(PipelineMetrics.EVENTS_READ);
    private final Counter invalid = PipelineMetrics.counter(PipelineMetrics.EVENTS_INVALID);

    @ProcessElement
    public void processElement(@Element KV<String, String> line, MultiOutputReceiver out) {
      String text = line.getValue();
      if (EventParser.isBlank(text)) {
        return;
      }
      read.inc();
      try {
        Event event = EventParser.parse(text);
        out.get(VALID).outputWithTimestamp(event, new Instant(event.eventTimeMillis()));
      } catch (InvalidEventException e) {
        invalid.inc();
        out.get(INVALID).output(new InvalidLine(line.getKey(), text, e.getMessage()));
      }
    }
  }
}
