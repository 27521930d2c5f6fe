package io.windowpane.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultRowJsonTest {

  /**
   * Rows are equal when every field is, sums, minimums and maximums compared as numbers (11 is 11.0, with the same
   * hash code); a row that differs in any one field is another row.
   */
  @Test
  void rowsAreEqualFieldByFieldWithNumbersComparedByValue() {
    ResultRow row = new ResultRow("u", 2, new BigDecimal("11"), "s", "e", "ON_TIME", 0, true, true,
        new BigDecimal("2"), new BigDecimal("9"));
    ResultRow sameNumbers = new ResultRow("u", 2, new BigDecimal("11.0"), "s", "e", "ON_TIME", 0, true, true,
        new BigDecimal("2.00"), new BigDecimal("9.0"));
    assertThat(sameNumbers).isEqualTo(row).hasSameHashCodeAs(row);
    assertThat(List.of(
        new ResultRow("v", 2, new BigDecimal("11"), "s", "e", "ON_TIME", 0, true, true, new BigDecimal("2"),
            new BigDecimal("9")),
        new ResultRow("u", 3, new BigDecimal("11"), "s", "e", "ON_TIME", 0, true, true, new BigDecimal("2"),
            new BigDecimal("9")),
        new ResultRow("u", 2, new BigDecimal("11.5"), "s", "e", "ON_TIME", 0, true, true, new BigDecimal("2"),
            new BigDecimal("9")),
        new ResultRow("u", 2, new BigDecimal("11"), "t", "e", "ON_TIME", 0, true, true, new BigDecimal("2"),
            new BigDecimal("9")),
        new ResultRow("u", 2, new BigDecimal("11"), "s", "f", "ON_TIME", 0, true, true, new BigDecimal("2"),
            new BigDecimal("9")),
        new ResultRow("u", 2, new BigDecimal("11"), "s", "e", "LATE", 0, true, true, new BigDecimal("2"),
            new BigDecimal("9")),
        new ResultRow("u", 2, new BigDecimal("11"), "s", "e", "ON_TIME", 1, true, true, new BigDecimal("2"),
            new BigDecimal("9")),
        new ResultRow("u", 2, new BigDecimal("11"), "s", "e", "ON_TIME", 0, false, true, new BigDecimal("2"),
            new BigDecimal("9")),
        new ResultRow("u", 2, new BigDecimal("11"), "s", "e", "ON_TIME", 0, true, false, new BigDecimal("2"),
            new BigDecimal("9")),
        new ResultRow("u", 2, new BigDecimal("11"), "s", "e", "ON_TIME", 0, true, true, new BigDecimal("1"),
            new BigDecimal("9")),
        new ResultRow("u", 2, new BigDecimal("11"), "s", "e", "ON_TIME", 0, true, true, null, new BigDecimal("9")),
        new ResultRow("u", 2, new BigDecimal("11"), "s", "e", "ON_TIME", 0, true, true, new BigDecimal("2"),
            new BigDecimal("10")),
        new ResultRow("u", 2, new BigDecimal("11"), "s", "e", "ON_TIME", 0, true, true, new BigDecimal("2"), null)))
        .allSatisfy(other -> assertThat(other).isNotEqualTo(row));
    assertThat(row).isNotEqualTo("u");
  }

  @Test
  void sumsAreWrittenAsPlainDecimalNumbers() {
    for (String sum : new String[] {"198.58", "0.0000001", "100", "-12345678901234567890.123456789012345678"}) {
      ResultRow row = new ResultRow("u", 1, new BigDecimal(sum), "a", "b", "ON_TIME", 0, true, true);
      assertThat(ToJsonLines.toJson(row)).contains("\"sum_amount\":" + sum + ",");
    }
  }

  @Test
  void rowsWriteSumsWithAtLeastOneDecimalPlaceAsTheSpecDoes() {
    assertThat(WindowInfo.withDecimalPoint(new BigDecimal("35")).toPlainString()).isEqualTo("35.0");
    assertThat(WindowInfo.withDecimalPoint(BigDecimal.ZERO).toPlainString()).isEqualTo("0.0");
    assertThat(WindowInfo.withDecimalPoint(new BigDecimal("198.58")).toPlainString()).isEqualTo("198.58");
    assertThat(WindowInfo.withDecimalPoint(new BigDecimal("13.30")).toPlainString()).isEqualTo("13.30");
  }

  @Test
  void rowSerializesExactlyAsTheSpecExample() {
    ResultRow row =
        new ResultRow("u2", 2, new BigDecimal("11.0"), "2026-01-08T10:00:00Z", "2026-01-08T10:01:00Z", "LATE", 1, false, true);
    assertThat(ToJsonLines.toJson(row)).isEqualTo(
        "{\"user_id\":\"u2\",\"count\":2,\"sum_amount\":11.0,\"window_start\":\"2026-01-08T10:00:00Z\","
            + "\"window_end\":\"2026-01-08T10:01:00Z\",\"pane_timing\":\"LATE\",\"pane_index\":1,"
            + "\"pane_is_first\":false,\"pane_is_last\":true}");
  }

  @Test
  void invalidLineKeepsTheOriginalTextEscapedWithItsOffset() {
    assertThat(ToJsonLines.toJson(new InvalidLine("in.jsonl", 120L, "{\"a\":", "invalid JSON")))
        .isEqualTo("{\"origin\":\"in.jsonl\",\"offset\":120,\"line\":\"{\\\"a\\\":\",\"reason\":\"invalid JSON\"}");
  }

  @Test
  void invalidLineWithoutAnOffsetLeavesItOut() {
    assertThat(ToJsonLines.toJson(new InvalidLine("scenario step 2", null, "x", "why")))
        .isEqualTo("{\"origin\":\"scenario step 2\",\"line\":\"x\",\"reason\":\"why\"}");
  }
}
