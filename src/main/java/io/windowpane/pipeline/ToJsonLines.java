package io.windowpane.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/** Serializes each element (a Jackson-annotated record) to one line of JSON. */
public class ToJsonLines<T> extends PTransform<PCollection<T>, PCollection<String>> {

  @Override
  public PCollection<String> expand(PCollection<T> elements) {
    return elements.apply("ToJson", ParDo.of(new ToJsonFn<T>())).setCoder(StringUtf8Coder.of());
  }

  /** The JSON text of one element; shared by the pipeline and by tests that read the output back. */
  public static String toJson(Object value) {
    try {
      return ToJsonFn.MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize " + value, e);
    }
  }

  static class ToJsonFn<T> extends DoFn<T, String> {
    // Sums as plain JSON numbers (100, not 1E+2), exactly as summed
    static final ObjectMapper MAPPER =
        JsonMapper.builder().enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build();

    @ProcessElement
    public void processElement(@Element T element, OutputReceiver<String> out) {
      out.output(toJson(element));
    }
  }
}
