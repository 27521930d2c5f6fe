package io.windowpane.sink;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Where the pipeline reports what it reads and fires, for the app's pane diagram. A pipeline option rather than a
 * field of the transforms: workers read it from the options they are given, and the URL is known only once the
 * application's web server has its port.
 */
public interface PageFeedOptions extends PipelineOptions {

  @Description("URL the pipeline posts element arrivals, scenario steps and fired panes to; empty: nowhere")
  @Default.String("")
  String getPageFeed();

  void setPageFeed(String url);
}
