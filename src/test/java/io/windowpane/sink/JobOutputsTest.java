package io.windowpane.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.windowpane.config.InvalidJobSpecException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.values.KV;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpointed run resumes only where each output file can tell its committed rows from the ones the checkpoint
 * staged (issue 34 item 3): a file that holds rows without its commit record is refused before the job starts.
 */
class JobOutputsTest {

  private static final String CHECKPOINT = "file:/checkpoints/run-1/job/chk-7";

  @TempDir
  Path folder;

  private JobOutputs liveOutputs() {
    return JobOutputs.resolve(folder.resolve("rows.jsonl").toString(), "", List.of(), false, true, 0);
  }

  /** Writes rows through the exactly-once file, as a run does, so that the file has its record. */
  private static void commitRows(Path file) throws IOException {
    try (LineCommitter.Open open = new CommittedFile(file.toString()).open("run-1")) {
      open.commit(0, List.of(KV.of((String) null, "{\"key\":\"u1\"}")));
    }
  }

  @Test
  void aResumeWhoseFilesHaveTheirRecordsOrNoRowsGoesAhead() throws IOException {
    JobOutputs outputs = liveOutputs();
    outputs.checkCommitRecords(CHECKPOINT); // no files yet
    commitRows(folder.resolve("rows.jsonl"));
    Files.writeString(folder.resolve("rows.jsonl.invalid"), ""); // an empty dead-letter file
    outputs.checkCommitRecords(CHECKPOINT);
  }

  @Test
  void aResumeIsRefusedWhileTheResultsFileHoldsRowsWithoutItsRecord() throws IOException {
    JobOutputs outputs = liveOutputs();
    Path rows = folder.resolve("rows.jsonl");
    commitRows(rows);
    Files.delete(CommittedFile.recordOf(rows)); // a copy of *.jsonl only

    assertThatThrownBy(() -> outputs.checkCommitRecords(CHECKPOINT))
        .isInstanceOfSatisfying(InvalidJobSpecException.class, e -> {
          assertThat(e.property()).isEqualTo("agg.output.path");
          assertThat(e.problem()).contains("its commit record .rows.jsonl.committed is missing")
              .contains("resumes " + CHECKPOINT).contains("Put the record back");
        });
    assertThat(rows).as("nothing changed").hasContent("{\"key\":\"u1\"}");
  }

  /** Such a record fails the job's task, which Flink restarts over and over: refused before it starts instead. */
  @Test
  void aStartIsRefusedWhenACommitRecordCannotBeRead() throws IOException {
    JobOutputs outputs = liveOutputs();
    Path rows = folder.resolve("rows.jsonl");
    commitRows(rows);
    Files.writeString(CommittedFile.recordOf(rows), ""); // left empty by a host crash on storage that lies about fsync

    for (String resumedFrom : new String[] {CHECKPOINT, null}) {
      assertThatThrownBy(() -> outputs.checkCommitRecords(resumedFrom))
          .isInstanceOfSatisfying(InvalidJobSpecException.class, e -> {
            assertThat(e.property()).isEqualTo("agg.output.path");
            assertThat(e.problem()).contains("the commit record " + CommittedFile.recordOf(rows) + " cannot be read");
          });
    }
  }

  @Test
  void aFreshStartKeepsAFileThatLostItsRecord() throws IOException {
    Path rows = folder.resolve("rows.jsonl");
    commitRows(rows);
    Files.delete(CommittedFile.recordOf(rows));
    liveOutputs().checkCommitRecords(null); // nothing staged to tell apart: a new run appends after the file's lines
  }

  @Test
  void theDeadLetterFileIsCheckedToo() throws IOException {
    JobOutputs outputs = liveOutputs();
    Files.writeString(folder.resolve("rows.jsonl.invalid"), "{\"reason\":\"late\"}\n");

    assertThatThrownBy(() -> outputs.checkCommitRecords(CHECKPOINT))
        .isInstanceOfSatisfying(InvalidJobSpecException.class,
            e -> assertThat(e.problem()).contains(".rows.jsonl.invalid.committed is missing"));
    outputs.checkCommitRecords(null);
  }
}
