package io.windowpane.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rows as JSON lines under the job's mapping (SPEC sections 5 and 14). */
class RowFormatTest {

  @Test
  void theTutorialsRowsAreWrittenExactlyAsBefore() {
    RowFormat format = new RowFormat(EventMapping.DEFAULT);
    for (ResultRow row : List.of(
        new ResultRow("u1", 2, new BigDecimal("35.0"), "2026-01-08T10:00:00Z", "2026-01-08T10:01:00Z", "ON_TIME", 0,
            true, true),
        new ResultRow("\"quoted\" \u00e9\u001f", 1, new BigDecimal("1E+2").setScale(1), "a", "b", "EARLY", 3, false,
            false),
        new ResultRow("u2", 7, new BigDecimal("0.000000000000000001"), "a", "b", "LATE", 1, false, true))) {
      assertThat(format.toJson(row)).isEqualTo(ToJsonLines.toJson(row));
    }
    assertThat(format.toJson(new ResultRow("u1", 2, new BigDecimal("35.0"), "s", "e", "ON_TIME", 0, true, true)))
        .isEqualTo("{\"user_id\":\"u1\",\"count\":2,\"sum_amount\":35.0,\"window_start\":\"s\",\"window_end\":\"e\","
            + "\"pane_timing\":\"ON_TIME\",\"pane_index\":0,\"pane_is_first\":true,\"pane_is_last\":true}");
  }

  @Test
  void keyFieldsUnderTheirNamesThenTheAggregatesAsked() {
    EventMapping mapping = new EventMapping(
        List.of(new FieldPath("order.customer.country"), new FieldPath("order.customer.id")), new FieldPath("ts"),
        new TimeFormat("epoch-millis", ZoneId.of("UTC")), new FieldPath("order.total"),
        List.of(Aggregate.COUNT, Aggregate.SUM, Aggregate.MEAN, Aggregate.MIN, Aggregate.MAX), FieldFilter.NONE,
        EventMapping.InputFormat.AUTO, ',');
    RowFormat format = new RowFormat(mapping);
    ResultRow row = new ResultRow("DE" + EventReader.KEY_SEPARATOR + "c7", 3, new BigDecimal("36.9"), "s", "e",
        "ON_TIME", 0, true, false, new BigDecimal("2.5"), new BigDecimal("20.0"));
    assertThat(format.toJson(row)).isEqualTo("{\"country\":\"DE\",\"id\":\"c7\",\"count\":3,\"sum_total\":36.9,"
        + "\"mean_total\":12.3,\"min_total\":2.5,\"max_total\":20.0,\"window_start\":\"s\",\"window_end\":\"e\","
        + "\"pane_timing\":\"ON_TIME\",\"pane_index\":0,\"pane_is_first\":true,\"pane_is_last\":false}");
    assertThat(format.recordKey(row)).isEqualTo("DE/c7");
    assertThat(format.keyLabel(row.key())).as("the pane diagram's name of the key").isEqualTo("country=DE, id=c7");
    assertThat(format.toJsonArray(List.of(row, row))).isEqualTo("[" + format.toJson(row) + "," + format.toJson(row)
        + "]");
    assertThat(format.keyText("DE")).as("a key with fewer fields than names").isEqualTo("country=DE, id=");
    assertThat(new RowFormat(EventMapping.DEFAULT).keyLabel("u1")).isEqualTo("user u1");
    assertThat(new RowFormat(EventMapping.DEFAULT).keyText("u1")).isEqualTo("u1");
  }

  @Test
  void theMeanIsRoundedHalfEvenTo18PlacesWithAtLeastOneDecimal() {
    assertThat(RowFormat.mean(new BigDecimal("10"), 3)).isEqualTo(new BigDecimal("3.333333333333333333"));
    assertThat(RowFormat.mean(new BigDecimal("20"), 3)).isEqualTo(new BigDecimal("6.666666666666666667"));
    assertThat(RowFormat.mean(new BigDecimal("36.9"), 3)).isEqualTo(new BigDecimal("12.3"));
    assertThat(RowFormat.mean(new BigDecimal("24"), 2)).isEqualTo(new BigDecimal("12.0"));
    assertThat(RowFormat.mean(new BigDecimal("0.000000000000000001"), 2)).as("half-even: 0.5e-18 rounds to 0")
        .isEqualTo(new BigDecimal("0.0"));
    assertThat(RowFormat.mean(new BigDecimal("0.000000000000000003"), 2)).as("1.5e-18 rounds to 2e-18")
        .isEqualTo(new BigDecimal("0.000000000000000002"));
  }
}
