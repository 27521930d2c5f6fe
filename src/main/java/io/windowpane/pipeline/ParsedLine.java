package io.windowpane.pipeline;

/**
 * One input line (a file's line, a scenario's event, a Kafka record's value) parsed once: the event, or the text and
 * why it is no event, or nothing to parse (a blank line, an empty record value or a tombstone, which are skipped).
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

  public boolean isBlank() {
    return event == null && invalidReason == null;
  }

  /** The event time of a valid event, else null. */
  public Long eventTimeMillis() {
    return event == null ? null : event.eventTimeMillis();
  }
}
