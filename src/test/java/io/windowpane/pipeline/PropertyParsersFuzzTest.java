package io.windowpane.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.convert.ConversionFailedException;

/**
 * Coverage-guided fuzzing of the parsers behind the {@code agg.*} properties a user writes (Jazzer): a filter, a
 * field path, a time format, and a duration are each taken, or refused with the documented exception and a reason
 * (which the application turns into exit code 2 naming the property), never another exception.
 */
class PropertyParsersFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void aFilterOrAFieldPathOrATimeFormatIsTakenOrRefusedWithItsReason(@NotNull String text) {
    refusedOnlyWithAReason(() -> FieldFilter.parse(List.of(text)));
    refusedOnlyWithAReason(() -> new FieldPath(text));
    refusedOnlyWithAReason(() -> new TimeFormat(text, ZoneOffset.UTC));
  }

  /**
   * A duration is converted as Spring converts an {@code agg.*} duration (blank text as none, which the validated
   * properties refuse at startup), or refused with a conversion failure that binding reports for its property.
   */
  @FuzzTest(maxDuration = "10s")
  void aDurationIsConvertedOrRefusedAsAConversionFailure(@NotNull String text) {
    try {
      Duration duration = ApplicationConversionService.getSharedInstance().convert(text, Duration.class);
      if (!text.isBlank()) {
        assertThat(duration).isNotNull();
      }
    } catch (ConversionFailedException refused) {
      assertThat(refused.getTargetType().getType()).isEqualTo(Duration.class);
    }
  }

  private static void refusedOnlyWithAReason(Runnable parse) {
    try {
      parse.run();
    } catch (IllegalArgumentException refused) {
      assertThat(refused.getMessage()).isNotBlank();
    }
  }
}
