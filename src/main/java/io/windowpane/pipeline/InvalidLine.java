package io.windowpane.pipeline;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.io.Serializable;

/**
 * A rejected input line, as written to the dead-letter output: where it came from, the line itself and why it
 * was rejected.
 */
@JsonPropertyOrder({"origin", "line", "reason"})
public record InvalidLine(
    @JsonProperty("origin") String origin,
    @JsonProperty("line") String line,
    @JsonProperty("reason") String reason)
    implements Serializable {}
