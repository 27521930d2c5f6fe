package io.windowpane.source.kafka;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** True for a stream job reading Kafka ({@code agg.mode=stream}, {@code agg.stream.source=kafka}). */
class KafkaStreamJobCondition implements Condition {

  @Override
  public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
    String mode = context.getEnvironment().getProperty("agg.mode", "stream");
    String source = context.getEnvironment().getProperty("agg.stream.source", "scenario");
    return mode.trim().equalsIgnoreCase("stream") && source.trim().equalsIgnoreCase("kafka");
  }
}
