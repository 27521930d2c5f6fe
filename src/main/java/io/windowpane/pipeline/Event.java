package io.windowpane.pipeline;

import java.io.Serializable;

/**
 * One input event: who, what, how much, and when it happened (event time, epoch milliseconds).
 *
 * @param eventType optional, may be {@code null}
 */
public record Event(String userId, String eventType, double amount, long eventTimeMillis) implements Serializable {}
