package io.windowpane.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import io.windowpane.config.AggProperties;
import io.windowpane.testing.TestProperties;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.bind.BindException;

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
   * A duration binds as Spring binds it (blank text as none, which the validated properties refuse at startup), or
   * is refused as a bind failure naming its property.
   */
  @FuzzTest(maxDuration = "10s")
  void aDurationIsBoundOrRefusedAsABindFailure(@NotNull String text) {
    try {
      AggProperties properties = TestProperties.with(Map.of("agg.window.size", text));
      if (!text.isBlank()) {
        assertThat(properties.window().size()).isNotNull();
      }
    } catch (BindException refused) {
      assertThat(refused.getName()).hasToString("agg.window.size");
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
