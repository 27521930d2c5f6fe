package io.windowpane.metrics;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The aggregation's input watermark as it was read while the job ran: one sample each time it moved, for the pane
 * diagram's staircase of a live job (SPEC section 12). Bounded: the newest {@link #MAX_SAMPLES}, so a job that runs
 * for weeks holds a fixed amount.
 */
@Component
public class WatermarkTrail {

  /** About an hour of samples taken every second. */
  public static final int MAX_SAMPLES = 3_600;

  /** The watermark ({@code watermark}, epoch ms) as read at wall time {@code at}. */
  public record Sample(Instant at, long watermarkMillis) {}

  private final Deque<Sample> samples = new ArrayDeque<>();

  /** Records the watermark read at {@code at}, when it has one that differs from the last one recorded. */
  public synchronized void record(Instant at, Long watermarkMillis) {
    if (watermarkMillis == null || (!samples.isEmpty() && samples.peekLast().watermarkMillis() == watermarkMillis)) {
      return;
    }
    samples.addLast(new Sample(at, watermarkMillis));
    if (samples.size() > MAX_SAMPLES) {
      samples.removeFirst();
    }
  }

  /** The samples, oldest first. */
  public synchronized List<Sample> samples() {
    return List.copyOf(samples);
  }
}
