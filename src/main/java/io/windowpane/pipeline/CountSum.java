package io.windowpane.pipeline;

import java.io.Serializable;
import java.math.BigDecimal;

/** One pane's figures for one user and window: how many events and the exact decimal sum of their amounts. */
public record CountSum(long count, BigDecimal sum) implements Serializable {}
