package io.windowpane.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Window shapes refuse sizes, periods and gaps that make no windows (SPEC section 10). */
class WindowShapeTest {

  /** A size, period or gap must be given and be longer than zero; a sliding period may not exceed the size. */
  @Test
  void sizesPeriodsAndGapsMustBePositive() {
    assertThatThrownBy(() -> WindowShape.fixed(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("size must be > 0, got PT0S");
    assertThatThrownBy(() -> WindowShape.fixed(null)).hasMessage("size is required");
    assertThatThrownBy(() -> WindowShape.sliding(Duration.ofSeconds(-60), Duration.ofSeconds(-60)))
        .hasMessage("size must be > 0, got PT-1M");
    assertThatThrownBy(() -> WindowShape.sliding(Duration.ofSeconds(60), Duration.ZERO))
        .hasMessage("period must be > 0, got PT0S");
    assertThatThrownBy(() -> WindowShape.sliding(Duration.ofSeconds(60), Duration.ofSeconds(61)))
        .hasMessage("period PT1M1S is longer than the window size PT1M");
    assertThatThrownBy(() -> WindowShape.sessions(Duration.ofMillis(-1))).hasMessage("gap must be > 0, got PT-0.001S");
    assertThat(WindowShape.sliding(Duration.ofSeconds(60), Duration.ofSeconds(60)).describe())
        .isEqualTo("sliding windows of PT1M every PT1M");
  }
}
