package io.windowpane.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.json.JsonMapper;
import io.windowpane.config.InvalidJobSpecException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.values.KV;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpointed run starts only where each output file can tell its committed rows from the ones a checkpoint
 * staged (issue 34 item 3): a resume while a file holds rows without its commit record, or a record that cannot be
 * read, is refused before the job starts; a fresh run takes such a file over.
 */
class JobOutputsTest {

  private static final String CHECKPOINT = "file:/checkpoints/run-1/job/chk-7";

  @TempDir
  Path folder;

  /** A live job's outputs: rows.jsonl and, beside it, rows.jsonl.invalid (both created empty). */
  private JobOutputs liveOutputs() {
    return JobOutputs.resolve(folder.resolve("rows.jsonl").toString(), "", List.of(), false, true, 0);
  }

  /** Writes rows through the exactly-once file, as a run does, so that the file has its record. */
  private static void commitRows(Path file, String run, long batch, String line) throws IOException {
    try (LineCommitter.Open open = new CommittedFile(file.toString()).open(run)) {
      open.commit(batch, List.of(KV.of((String) null, line)));
    }
  }

  private static CommittedFile.Commit record(Path file) throws IOException {
    return JsonMapper.builder().build().readValue(CommittedFile.recordOf(file).toFile(), CommittedFile.Commit.class);
  }

  @Test
  void aResumeWhoseFilesHaveTheirRecordsOrNoRowsGoesAhead() throws IOException {
    JobOutputs outputs = liveOutputs();
    outputs.prepareCommitRecords("run-1", CHECKPOINT); // both files empty
    commitRows(folder.resolve("rows.jsonl"), "run-1", 0, "{\"key\":\"u1\"}");
    outputs.prepareCommitRecords("run-1", CHECKPOINT);
  }

  @Test
  void aResumeIsRefusedWhileTheResultsFileHoldsRowsWithoutItsRecord() throws IOException {
    JobOutputs outputs = liveOutputs();
    Path rows = folder.resolve("rows.jsonl");
    commitRows(rows, "run-1", 0, "{\"key\":\"u1\"}");
    Files.delete(CommittedFile.recordOf(rows)); // a copy of *.jsonl only

    assertThatThrownBy(() -> outputs.prepareCommitRecords("run-1", CHECKPOINT))
        .isInstanceOfSatisfying(InvalidJobSpecException.class, e -> {
          assertThat(e.property()).isEqualTo("agg.output.path");
          assertThat(e.problem()).contains("its commit record .rows.jsonl.committed is missing")
              .contains("resumes " + CHECKPOINT).contains("Put the record back");
        });
    assertThat(rows).as("nothing changed").hasContent("{\"key\":\"u1\"}");
    assertThat(CommittedFile.recordOf(rows)).as("no record made up").doesNotExist();
  }

  /** Such a record fails the job's task, which Flink restarts over and over: refused before it starts instead. */
  @Test
  void aStartIsRefusedWhenACommitRecordCannotBeRead() throws IOException {
    JobOutputs outputs = liveOutputs();
    Path rows = folder.resolve("rows.jsonl");
    commitRows(rows, "run-1", 0, "{\"key\":\"u1\"}");
    Files.writeString(CommittedFile.recordOf(rows), ""); // left empty by a host crash on storage that lies about fsync

    for (String resumedFrom : new String[] {CHECKPOINT, null}) {
      assertThatThrownBy(() -> outputs.prepareCommitRecords("run-1", resumedFrom))
          .isInstanceOfSatisfying(InvalidJobSpecException.class, e -> {
            assertThat(e.property()).isEqualTo("agg.output.path");
            assertThat(e.problem()).contains("the commit record " + CommittedFile.recordOf(rows) + " cannot be read");
          });
    }
  }

  /**
   * A fresh run takes over a file without a record now, not at its first commit: stopped before that (a quiet
   * stream), its resume finds a record and goes ahead.
   */
  @Test
  void aFreshRunTakesOverAFileWithoutARecordBeforeItsJobStarts() throws IOException {
    Path rows = folder.resolve("rows.jsonl");
    commitRows(rows, "old-run", 0, "{\"key\":\"old\"}");
    Files.delete(CommittedFile.recordOf(rows));
    JobOutputs outputs = liveOutputs();

    outputs.prepareCommitRecords("run-2", null);
    assertThat(record(rows)).isEqualTo(new CommittedFile.Commit("run-2", -1, 14));
    outputs.prepareCommitRecords("run-2", CHECKPOINT); // the resume after a stop before the first commit

    commitRows(rows, "run-2", 0, "{\"key\":\"new\"}");
    assertThat(rows).hasContent("{\"key\":\"old\"}\n{\"key\":\"new\"}");
  }

  @Test
  void theDeadLetterFileIsCheckedUnderItsPropertyUnlessATopicTakesTheDeadLetters() throws IOException {
    Path invalid = folder.resolve("rows.jsonl.invalid");
    JobOutputs beside = liveOutputs();
    Files.writeString(invalid, "{\"reason\":\"late\"}\n");
    assertThatThrownBy(() -> beside.prepareCommitRecords("run-1", CHECKPOINT))
        .isInstanceOfSatisfying(InvalidJobSpecException.class, e -> {
          assertThat(e.property()).as("it has no path of its own").isEqualTo("agg.output.path");
          assertThat(e.problem()).contains(".rows.jsonl.invalid.committed is missing");
        });

    Path own = folder.resolve("letters.jsonl");
    JobOutputs ownPath = JobOutputs.resolve(folder.resolve("rows.jsonl").toString(), own.toString(), List.of(), false,
        true, 0);
    Files.writeString(own, "{\"reason\":\"late\"}\n");
    assertThatThrownBy(() -> ownPath.prepareCommitRecords("run-1", CHECKPOINT))
        .isInstanceOfSatisfying(InvalidJobSpecException.class,
            e -> assertThat(e.property()).isEqualTo("agg.output.dead-letter-path"));

    JobOutputs rowsToStdout = JobOutputs.resolve("", own.toString(), List.of(), false, true, 0);
    assertThatThrownBy(() -> rowsToStdout.prepareCommitRecords("run-1", CHECKPOINT))
        .isInstanceOfSatisfying(InvalidJobSpecException.class,
            e -> assertThat(e.property()).isEqualTo("agg.output.dead-letter-path"));

    // dead letters go to a topic: the file is not written, so what it holds does not matter
    beside.withTopics(null, new KafkaTarget("letters", Map.of())).prepareCommitRecords("run-1", CHECKPOINT);
  }
}
