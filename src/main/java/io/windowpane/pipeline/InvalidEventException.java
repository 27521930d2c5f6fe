package io.windowpane.pipeline;

/** An input line that cannot become an {@link Event}; the message is the reason shown in the dead-letter output. */
public class InvalidEventException extends Exception {

  public InvalidEventException(String reason) {
    super(reason, null, false, false);
  }
}
