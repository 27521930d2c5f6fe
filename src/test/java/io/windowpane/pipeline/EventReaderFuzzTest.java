package io.windowpane.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Coverage-guided fuzzing of the event readers (Jazzer): whatever a line holds, reading it gives an event or a
 * rejection with its reason, never an exception, and a mapped line's streaming read gives what the reference, the
 * whole JSON tree, gives. {@code mvn test} replays the inputs in {@code EventReaderFuzzTestInputs/}; {@code .ci/fuzz}
 * fuzzes each target for a while ({@code JAZZER_FUZZ=1}), keeping what fails there.
 */
class EventReaderFuzzTest {

  private static final EventReader TUTORIAL = new EventReader(EventMapping.DEFAULT);
  private static final EventReader NESTED = new EventReader(new EventMapping(
      List.of(new FieldPath("order.customer.country"), new FieldPath("order.id")), new FieldPath("ts"),
      new TimeFormat("auto", ZoneOffset.UTC), new FieldPath("order.total"),
      List.of(Aggregate.COUNT, Aggregate.SUM, Aggregate.MIN, Aggregate.MAX, Aggregate.MEAN),
      FieldFilter.parse(List.of("kind!=test", "order.customer.country=DE|AT")), EventMapping.InputFormat.JSON, ','));

  @FuzzTest(maxDuration = "10s")
  void aTutorialLineIsAnEventOrARejectionWithItsReason(@NotNull String line) {
    assertReadOrRejected(TUTORIAL.parseJson(line));
  }

  @FuzzTest(maxDuration = "10s")
  void aMappedLineReadsAsTheWholeTreeReadsIt(@NotNull String line) {
    ParsedLine streamed = NESTED.parseJson(line);
    ParsedLine fromTree;
    if (line.isBlank()) {
      fromTree = ParsedLine.of(line); // skipped, as every reader skips a blank line
    } else {
      try {
        fromTree = NESTED.fromObject(EventParser.readObject(line), line);
      } catch (InvalidEventException e) {
        fromTree = ParsedLine.invalid(line, e.getMessage());
      }
    }
    String treeRefusal = fromTree.invalidReason();
    if (treeRefusal != null && treeRefusal.contains("as `java.math.BigDecimal`")) {
      // The tree makes a decimal of every number, the streaming read only of the named fields: a number no decimal
      // holds (an exponent past 2^31) refuses the whole line there, and only a named field's value here.
      return;
    }
    if (treeRefusal != null && treeRefusal.startsWith("invalid JSON: ")) {
      // both refuse the syntax; Jackson words an error by where it met it (a tree's value, a skipped value)
      assertThat(streamed.invalidReason()).startsWith("invalid JSON: ");
      assertThat(streamed.event()).isNull();
    } else {
      assertThat(streamed).isEqualTo(fromTree);
    }
    assertReadOrRejected(streamed);
  }

  @FuzzTest(maxDuration = "10s")
  void aCsvRowIsAnEventOrARejectionWithItsReason(FuzzedDataProvider data) {
    List<String> header = List.of("customer", "placed", "total", "status");
    EventReader csv = new EventReader(new EventMapping(List.of(new FieldPath("customer")),
        new FieldPath("placed"), new TimeFormat("yyyy-MM-dd HH:mm:ss", ZoneOffset.UTC),
        new FieldPath("total"), List.of(Aggregate.COUNT, Aggregate.SUM), FieldFilter.parse(List.of("status!=x")),
        EventMapping.InputFormat.CSV, data.consumeBoolean() ? ',' : ';'));
    assertReadOrRejected(csv.parseCsv(data.consumeRemainingAsString(), header));
  }

  private static void assertReadOrRejected(ParsedLine parsed) {
    if (parsed.invalidReason() != null) {
      assertThat(parsed.invalidReason()).isNotBlank();
    }
  }
}
