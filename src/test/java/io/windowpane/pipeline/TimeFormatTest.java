package io.windowpane.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/**
 * An event time's formats at their edges (SPEC section 14): the range Beam supports, the largest number {@code auto}
 * takes as epoch seconds, signed numbers, dates without a time, and which format is the tutorial's.
 */
class TimeFormatTest {

  private static final ZoneId UTC = ZoneId.of("UTC");
  private static final long MIN = EventParser.MIN_EVENT_TIME_MILLIS;
  private static final long MAX = EventParser.MAX_EVENT_TIME_MILLIS;

  /** Epoch numbers are taken from the earliest to the latest millisecond of the range, and not one beyond. */
  @Test
  void epochNumbersAreTakenUpToTheEdgesOfTheRange() throws InvalidEventException {
    TimeFormat millis = new TimeFormat("epoch-millis", UTC);
    assertThat(millis.millis(Long.toString(MIN), "t")).isEqualTo(MIN);
    assertThat(millis.millis(Long.toString(MAX), "t")).isEqualTo(MAX);
    assertThatThrownBy(() -> millis.millis(Long.toString(MIN - 1), "t"))
        .isInstanceOf(InvalidEventException.class).hasMessageContaining("is outside the range Beam supports");
    assertThatThrownBy(() -> millis.millis(Long.toString(MAX + 1), "t"))
        .isInstanceOf(InvalidEventException.class).hasMessageContaining("is outside the range Beam supports");
  }

  /** ISO-8601 times are taken from the earliest to the latest millisecond of the range, and not one beyond. */
  @Test
  void isoTimesAreTakenUpToTheEdgesOfTheRange() throws InvalidEventException {
    TimeFormat iso = new TimeFormat("iso", UTC);
    assertThat(iso.millis(Instant.ofEpochMilli(MIN).toString(), "t")).isEqualTo(MIN);
    assertThat(iso.millis(Instant.ofEpochMilli(MAX).toString(), "t")).isEqualTo(MAX);
    assertThatThrownBy(() -> iso.millis(Instant.ofEpochMilli(MIN - 1).toString(), "t"))
        .isInstanceOf(InvalidEventException.class).hasMessageContaining("is outside the range Beam supports");
    assertThatThrownBy(() -> iso.millis(Instant.ofEpochMilli(MAX + 1).toString(), "t"))
        .isInstanceOf(InvalidEventException.class).hasMessageContaining("is outside the range Beam supports");
  }

  /** {@code auto} takes epoch seconds up to 9999-12-31T23:59:59Z, and negative ones (before 1970) with a fraction. */
  @Test
  void autoTakesEpochSecondsUpToTheYear9999AndBefore1970() throws InvalidEventException {
    assertThat(TimeFormat.AUTO_UTC.millis(Long.toString(TimeFormat.MAX_PLAUSIBLE_EPOCH_SECONDS), "t"))
        .isEqualTo(Instant.parse("9999-12-31T23:59:59Z").toEpochMilli());
    assertThatThrownBy(() -> TimeFormat.AUTO_UTC.millis(
        BigDecimal.valueOf(TimeFormat.MAX_PLAUSIBLE_EPOCH_SECONDS).add(BigDecimal.ONE).toString(), "t"))
        .hasMessageContaining("is too large for epoch seconds");
    assertThat(TimeFormat.AUTO_UTC.millis("-1.5", "t")).isEqualTo(-1_500L);
    assertThat(TimeFormat.AUTO_UTC.millis("+2", "t")).isEqualTo(2_000L);
    assertThatThrownBy(() -> TimeFormat.AUTO_UTC.millis("-", "t")).as("a lone sign is no number, and no crash")
        .isInstanceOf(InvalidEventException.class).hasMessageStartingWith("t '-' is not an ISO-8601 time");
  }

  /** A time written as a JSON string is read as its text, under any format. */
  @Test
  void aJsonStringIsReadAsItsText() throws InvalidEventException {
    assertThat(TimeFormat.AUTO_UTC.millis(TextNode.valueOf("2026-01-08T10:00:05Z"), "t")).isEqualTo(1_767_866_405_000L);
    assertThat(new TimeFormat("epoch-millis", UTC).millis(TextNode.valueOf("1767866405123"), "t"))
        .isEqualTo(1_767_866_405_123L);
  }

  /** A pattern with a date and no time of day reads as the start of that day in the zone. */
  @Test
  void aDateWithoutATimeIsTheStartOfItsDayInTheZone() throws InvalidEventException {
    assertThat(new TimeFormat("dd.MM.yyyy", ZoneId.of("America/New_York")).millis("08.01.2026", "t"))
        .isEqualTo(Instant.parse("2026-01-08T05:00:00Z").toEpochMilli());
    assertThat(new TimeFormat("iso", ZoneId.of("Europe/Paris")).millis("2026-01-08", "t"))
        .isEqualTo(Instant.parse("2026-01-07T23:00:00Z").toEpochMilli());
  }

  /** Only {@code auto} in UTC is the tutorial's format. */
  @Test
  void onlyAutoInUtcIsTheDefault() {
    assertThat(TimeFormat.AUTO_UTC.isDefault()).isTrue();
    assertThat(new TimeFormat(" auto ", UTC).isDefault()).isTrue();
    assertThat(new TimeFormat("epoch-seconds", UTC).isDefault()).isFalse();
    assertThat(new TimeFormat("auto", ZoneId.of("Europe/Paris")).isDefault()).isFalse();
  }
}
