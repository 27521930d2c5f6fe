package io.windowpane.pipeline;

/**
 * One input line (a file's line, a scenario's event, a Kafka record's value) parsed once: the event, or the text and
 * why it is no event, or the text of an event the filter does not take, or nothing to parse (a blank line, an empty record value or a tombstone, which are skipped).
 * A Kafka reader needs the event time for the watermark; the pipeline gets the rest from the same parse.
 *
 * @param event the valid event, else null
 * @param line the text (for a dead letter: a rejected line, or a live one that comes too late)
 * @param invalidReason why it is no event, else null
 */
public record ParsedLine(Event event, String line, String invalidReason) {

  private static final ParsedLine BLANK = new ParsedLine(null, null, null);

  public static ParsedLine of(String line) {
    if (line == null || EventParser.isBlank(line)) {
      return BLANK;
    }
    try {
      return new ParsedLine(EventParser.parse(line), line, null);
    } catch (InvalidEventException e) {
      return new ParsedLine(null, line, e.getMessage());
    }
  }

  public static ParsedLine valid(Event event, String line) {
    return new ParsedLine(event, line, null);
  }

  public static ParsedLine invalid(String line, String reason) {
    return new ParsedLine(null, line, reason);
  }

  /** An event the job's filter does not take ({@code agg.event.filter}): skipped and counted, no dead letter. */
  public static ParsedLine filtered(String line) {
    return new ParsedLine(null, line, null);
  }

  public boolean isBlank() {
    return event == null && invalidReason == null && line == null;
  }

  public boolean isFiltered() {
    return event == null && invalidReason == null && line != null;
  }

  /** The event time of a valid event, else null. */
  public Long eventTimeMillis() {
    return event == null ? null : event.eventTimeMillis();
  }
}
