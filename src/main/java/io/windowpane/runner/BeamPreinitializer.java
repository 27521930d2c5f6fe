package io.windowpane.runner;

import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.springframework.boot.context.event.ApplicationStartingEvent;
import org.springframework.context.ApplicationListener;

/**
 * Starts Beam's pipeline-options machinery on a second thread as soon as the application starts, as Spring Boot's own
 * {@code BackgroundPreinitializer} does for Jackson and validation: finding every options interface and runner on the
 * class path and building its JSON mapper is the slowest step of the context's start ({@link RunnerOptions} checks
 * {@code agg.runner-args} at startup), and it does not need the context. Whatever happens here is ignored: the real
 * {@link RunnerOptions} does the same work again and reports what goes wrong.
 */
public class BeamPreinitializer implements ApplicationListener<ApplicationStartingEvent> {

  @Override
  public void onApplicationEvent(ApplicationStartingEvent event) {
    Thread warmUp = new Thread(BeamPreinitializer::warmUp, "beam-preinitializer");
    warmUp.setDaemon(true);
    warmUp.start();
  }

  private static void warmUp() {
    try {
      PipelineOptions options = PipelineOptionsFactory.fromArgs().withValidation().create();
      options.as(DirectOptions.class);
    } catch (RuntimeException | LinkageError ignored) {
      // RunnerOptions meets the same problem and says what it is
    }
  }
}
