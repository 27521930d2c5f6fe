package io.windowpane.pipeline;

import java.io.Serializable;
import java.math.BigDecimal;

/**
 * One input event: who, what, how much, and when it happened (event time, epoch milliseconds).
 *
 * @param eventType optional, may be {@code null}
 * @param amount the decimal written in the input, exactly ({@link EventParser#MAX_AMOUNT_DECIMALS})
 */
public record Event(String userId, String eventType, BigDecimal amount, long eventTimeMillis) implements Serializable {}
