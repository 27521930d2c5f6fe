package io.windowpane.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.io.Serializable;

/**
 * A rejected input line, as written to the dead-letter output: where it came from (its origin and, where known, its
 * offset there: the byte offset of the line's start in a file, the record's offset in a Kafka partition), the line
 * itself and why it was rejected.
 */
@JsonPropertyOrder({"origin", "offset", "line", "reason"})
public record InvalidLine(
    @JsonProperty("origin") String origin,
    @JsonProperty("offset") @JsonInclude(JsonInclude.Include.NON_NULL) Long offset,
    @JsonProperty("line") String line,
    @JsonProperty("reason") String reason)
    implements Serializable {}
