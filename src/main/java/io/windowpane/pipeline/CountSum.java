package io.windowpane.pipeline;

import java.io.Serializable;

/** One pane's figures for one user and window: how many events and the sum of their amounts. */
public record CountSum(long count, double sum) implements Serializable {}
