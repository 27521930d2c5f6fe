package io.windowpane.sink;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.windowpane.config.InvalidJobSpecException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 34 item 3: a job that resumes a checkpoint while its results file has lost its commit record (a copy of
 * {@code *.jsonl} only) would write the staged rows a second time; it is refused at startup instead, naming the
 * file and what to do.
 */
class LostCommitRecordTest {

  @TempDir Path dir;

  @Test
  void aResumeWhoseFileHoldsRowsWithoutItsRecordIsRefused() throws Exception {
    Path rows = dir.resolve("rows.jsonl");
    Files.writeString(rows, "{\"user_id\":\"u1\"}\n");
    JobOutputs outputs = JobOutputs.resolve(rows.toString(), "", List.of(), false, true, 0);

    assertThatThrownBy(() -> outputs.refuseLostCommitRecords(rows.toString(), ""))
        .isInstanceOfSatisfying(InvalidJobSpecException.class, e -> {
          org.assertj.core.api.Assertions.assertThat(e.property()).isEqualTo("agg.output.path");
          org.assertj.core.api.Assertions.assertThat(e.problem()).contains(".rows.jsonl.committed is missing")
              .contains("written twice");
        });

    Files.writeString(CommittedFile.recordOf(rows), "{\"run\":\"r\",\"batch\":0,\"length\":17}");
    assertThatCode(() -> outputs.refuseLostCommitRecords(rows.toString(), "")).doesNotThrowAnyException();
  }

  @Test
  void anEmptyOrMissingFileIsNoReasonToRefuse() {
    Path rows = dir.resolve("out/rows.jsonl");
    JobOutputs outputs = JobOutputs.resolve(rows.toString(), "", List.of(), false, true, 0);
    assertThatCode(() -> outputs.refuseLostCommitRecords(rows.toString(), "")).doesNotThrowAnyException();
    JobOutputs streams = JobOutputs.resolve("", "", List.of(), false, true, 0);
    assertThatCode(() -> streams.refuseLostCommitRecords("", "")).doesNotThrowAnyException();
  }
}
