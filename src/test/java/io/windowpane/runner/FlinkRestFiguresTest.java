package io.windowpane.runner;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Flink metric ids as the REST API lists them (seen on Flink 1.19 with Beam 2.70), back to Beam metric names. */
class FlinkRestFiguresTest {

  @Test
  void windowpaneMetricsAndTheLateDropCounterAreRecognised() {
    assertThat(FlinkRestFigures.beamName("ReadEvents/ParseEvents/ParseAndValidate.windowpane_events_read"))
        .isEqualTo("events_read");
    assertThat(FlinkRestFigures.beamName("WindowInfo/ToResultRow/ParMultiDo(ToResultRow).windowpane_panes_ON_TIME"))
        .isEqualTo("panes_ON_TIME");
    assertThat(FlinkRestFigures.beamName("ReadEvents/ParseEvents/ParseAndValidate.windowpane_event_time")).isEqualTo("event_time");
    assertThat(FlinkRestFigures.beamName(
        "UserWindowAggregation/CountAndSum.org_apache_beam_runners_core_LateDataDroppingDoFnRunner_droppedDueToLateness"))
        .isEqualTo("droppedDueToLateness");
  }

  @Test
  void metricsOtherThanWindowpanesHaveNoBeamName() {
    assertThat(FlinkRestFigures.beamName("Source__ReadEvents/ReadKafka.KafkaIOReader_rawSize/events-0")).isNull();
    assertThat(FlinkRestFigures.beamName("numRecordsIn")).isNull();
  }

  @Test
  void theWatermarkIsReadFromTheVertexThatStartsWithTheGrouping() {
    assertThat(FlinkRestFigures.isGrouping("UserWindowAggregation/CountAndSum -> UserWindowAggregation/"
        + "SkipStaleEmptyPanes/ParMultiDo(SkipStaleEmptyPane) -> WindowInfo/ToResultRow/ParMultiDo(ToResultRow)"))
        .isTrue();
    assertThat(FlinkRestFigures.isGrouping("Source: ReadEvents/ReadKafka -> ReadEvents/RecordsToEvents -> "
        + "UserWindowAggregation/KeyByUser")).as("the source's chain, before the grouping").isFalse();
    assertThat(FlinkRestFigures.isGrouping("WriteResults/Stage -> UserWindowAggregation/CountAndSum")).isFalse();
  }

  @Test
  void theWatermarkGaugesAreNotCountedAsCounters() {
    assertThat(FlinkRestFigures.beamName("ReadEvents/ReadLines/SplitStepMarkers.windowpane_input_watermark"))
        .startsWith(io.windowpane.pipeline.PipelineMetrics.WATERMARK_PREFIX);
  }
}
