package io.windowpane.config;

import java.time.Duration;

/** A duration as users write it in Spring's simple format ({@code 10s}, {@code 1500ms}, {@code 2m}), for messages. */
public final class DurationText {

  private DurationText() {}

  public static String of(Duration duration) {
    long millis = duration.toMillis();
    if (millis % 3_600_000 == 0 && millis != 0) {
      return millis / 3_600_000 + "h";
    }
    if (millis % 60_000 == 0 && millis != 0) {
      return millis / 60_000 + "m";
    }
    if (millis % 1_000 == 0) {
      return millis / 1_000 + "s";
    }
    return millis + "ms";
  }
}
