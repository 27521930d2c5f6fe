package io.windowpane.pipeline;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.NonMergingWindowFn;
import org.apache.beam.sdk.transforms.windowing.WindowFn;
import org.apache.beam.sdk.transforms.windowing.WindowMappingFn;

/**
 * The aggregation's non-merging windows, less those an event missed by coming late ({@link SplitOffLateEvents}):
 * a sliding window's event can be too late for its earlier windows and on time for its later ones, and is then
 * aggregated in those only, so that the grouping drops nothing.
 */
final class OnTimeWindows extends NonMergingWindowFn<Object, IntervalWindow> {

  private final WindowFn<Object, IntervalWindow> windows;

  OnTimeWindows(WindowFn<Object, IntervalWindow> windows) {
    this.windows = windows;
  }

  @Override
  public Collection<IntervalWindow> assignWindows(AssignContext c) throws Exception {
    Collection<IntervalWindow> all = windows.assignWindows(c);
    Long from = c.element() instanceof Event event ? event.missedWindowsEndingBefore() : null;
    if (from == null) {
      return all;
    }
    List<IntervalWindow> onTime = new ArrayList<>(all.size());
    for (IntervalWindow window : all) {
      if (window.maxTimestamp().getMillis() >= from) {
        onTime.add(window);
      }
    }
    return onTime;
  }

  @Override
  public boolean isCompatible(WindowFn<?, ?> other) {
    return other instanceof OnTimeWindows that && windows.isCompatible(that.windows);
  }

  @Override
  public void verifyCompatibility(WindowFn<?, ?> other) throws org.apache.beam.sdk.transforms.windowing.IncompatibleWindowException {
    if (!isCompatible(other)) {
      throw new org.apache.beam.sdk.transforms.windowing.IncompatibleWindowException(other,
          "not the same windows as " + windows);
    }
  }

  @Override
  public Coder<IntervalWindow> windowCoder() {
    return windows.windowCoder();
  }

  @Override
  public WindowMappingFn<IntervalWindow> getDefaultWindowMappingFn() {
    return windows.getDefaultWindowMappingFn();
  }
}
