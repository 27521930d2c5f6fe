package io.windowpane.job;

import io.windowpane.metrics.JobMetrics;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** {@code /actuator/health} component "job": UP while starting, running or done; DOWN when the pipeline failed. */
@Component("job")
class JobHealthIndicator implements HealthIndicator {

  private final JobState state;
  private final JobMetrics metrics;

  JobHealthIndicator(JobState state, JobMetrics metrics) {
    this.state = state;
    this.metrics = metrics;
  }

  @Override
  public Health health() {
    Health.Builder health = state.status() == JobStatus.FAILED ? Health.down() : Health.up();
    health.withDetail("state", state.status().name())
        .withDetail("eventsRead", metrics.figures().eventsRead())
        .withDetail("resultRows", metrics.figures().totalPanes());
    if (state.failure() != null) {
      health.withDetail("error", state.failure());
    }
    return health.build();
  }
}
