package io.windowpane;

import io.windowpane.config.AggProperties;
import io.windowpane.config.StartupFailures;
import io.windowpane.job.JobState;
import io.windowpane.launch.HeapCappedRelaunch;
import io.windowpane.launch.ParentWatch;
import io.windowpane.launch.TempFolders;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * windowpane: one Apache Beam pipeline over bounded (batch) or unbounded (stream) events, run by Spring Boot.
 *
 * <p>Exit codes (SPEC section 8): 0 when the job finished or the app keeps serving, 1 when the pipeline failed,
 * 2 when the configuration or input specification was rejected at startup.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class WindowpaneApplication {

  public static void main(String[] args) {
    Optional<Integer> cappedRun = HeapCappedRelaunch.runCappedIfNeeded(WindowpaneApplication.class, args);
    if (cappedRun.isPresent()) {
      System.exit(cappedRun.get());
      return;
    }
    ParentWatch.startIfRelaunched();
    TempFolders.holdNativeLibraries();
    ConfigurableApplicationContext context;
    try {
      context = SpringApplication.run(WindowpaneApplication.class, args);
    } catch (Throwable startupFailure) {
      // Spring Boot has already logged the failure analysis; only the exit code is left to decide.
      System.exit(StartupFailures.exitCode(startupFailure));
      return;
    }
    if (context.getBean(AggProperties.class).exitWhenDone()) {
      // A live job runs beside the application: exit when it ends (it fails, or a shutdown stops it).
      awaitJobEnd(context.getBean(JobState.class));
      System.exit(SpringApplication.exit(context));
    }
  }

  private static void awaitJobEnd(JobState job) {
    try {
      while (!job.awaitEnd(1, TimeUnit.MINUTES)) {
        // still running
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
