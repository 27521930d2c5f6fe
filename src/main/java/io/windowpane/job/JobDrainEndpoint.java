package io.windowpane.job;

import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.stereotype.Component;

/**
 * {@code POST /actuator/drain}: ends a live job for good (SPEC section 13). Every open window fires its final pane,
 * the rows are committed, and the job ends; the windows it closed stay closed on a later start. SIGTERM, by contrast,
 * keeps the open windows for the next start. Not exposed over HTTP unless asked for
 * ({@code management.endpoints.web.exposure.include=...,drain}): like Spring Boot's own {@code shutdown} endpoint, it
 * ends what it is asked about.
 */
@Component
@Endpoint(id = "drain")
class JobDrainEndpoint {

  private final JobShutdown shutdown;

  JobDrainEndpoint(JobShutdown shutdown) {
    this.shutdown = shutdown;
  }

  /** Drains the running job; answers once it has ended (within about 30 s). */
  @WriteOperation
  public Map<String, String> drain() throws InterruptedException {
    return Map.of("result", shutdown.drainForGood());
  }
}
