package io.windowpane.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.values.KV;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file side of the exactly-once commit protocol ({@link CommittedFile}): each batch appended once, the commit
 * record beside the file, and what a crash between the two leaves behind, recovered without a line lost or doubled.
 */
class CommittedFileTest {

  @TempDir
  Path folder;

  private static List<KV<String, String>> lines(String... values) {
    return Arrays.stream(values).map(v -> KV.of((String) null, v)).toList();
  }

  private static String text(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  private static CommittedFile.Commit record(Path file) throws IOException {
    return JsonMapper.builder().build().readValue(CommittedFile.recordOf(file).toFile(), CommittedFile.Commit.class);
  }

  /** The commit record is a hidden sibling of the file: {@code .<name>.committed}. */
  @Test
  void theCommitRecordIsAHiddenSiblingOfTheFile() {
    assertThat(CommittedFile.recordOf(Path.of("/out/rows.jsonl"))).isEqualTo(Path.of("/out/.rows.jsonl.committed"));
  }

  /** A fresh file (in folders not made yet) holds no batch; a commit appends its lines and records batch and length. */
  @Test
  void aCommitAppendsTheLinesAndRecordsTheBatchAndTheLength() throws IOException {
    Path file = folder.resolve("a/b/rows.jsonl");
    try (LineCommitter.Open open = new CommittedFile(file.toString()).open("run-1")) {
      assertThat(open.lastCommitted()).isEqualTo(-1);
      open.commit(0, lines("one", "two"));
      assertThat(open.lastCommitted()).isEqualTo(0);
      open.commit(1, lines("thr\u00e9e"));
      assertThat(open.lastCommitted()).isEqualTo(1);
    }
    assertThat(text(file)).isEqualTo("one\ntwo\nthr\u00e9e\n");
    assertThat(record(file)).isEqualTo(new CommittedFile.Commit("run-1", 1, Files.size(file)));
    assertThat(Files.size(file)).as("bytes, not chars: é is two").isEqualTo(15);
  }

  /** A batch the file already holds (this number or an earlier one) is skipped, in one opening and after reopening. */
  @Test
  void aBatchAlreadyHeldIsSkipped() throws IOException {
    Path file = folder.resolve("rows.jsonl");
    CommittedFile committed = new CommittedFile(file.toString());
    try (LineCommitter.Open open = committed.open("run-1")) {
      open.commit(-1, lines("never"));
      open.commit(0, lines("a"));
      open.commit(1, lines("b"));
      open.commit(1, lines("b again"));
      open.commit(0, lines("a again"));
    }
    try (LineCommitter.Open open = committed.open("run-1")) {
      assertThat(open.lastCommitted()).as("the same run goes on where it was").isEqualTo(1);
      open.commit(1, lines("b once more"));
      open.commit(2, lines("c"));
    }
    assertThat(text(file)).isEqualTo("a\nb\nc\n");
    assertThat(record(file)).isEqualTo(new CommittedFile.Commit("run-1", 2, 6));
  }

  /**
   * A crash after the batch's bytes were written but before the record was replaced: committing the same batch again
   * appends only what is missing, whether all of it or only its first bytes made it to the file.
   */
  @Test
  void aBatchWrittenBeforeACrashCutOffItsRecordIsNotWrittenTwice() throws IOException {
    for (String before : List.of("", "c", "cc\nd", "cc\ndd\n")) {
      assertTheNextBatchIsWrittenOnceAfter("crash", before);
    }
  }

  /**
   * Bytes after the recorded length that are not the start of the batch being committed (or more than all of it)
   * are cut off before the batch is appended; nothing before the recorded length changes.
   */
  @Test
  void bytesAfterTheLastCommitThatAreNotTheBatchAreCutOff() throws IOException {
    for (String after : List.of("x", "cc\ndx\n", "cc\ndd\nee\n")) {
      assertTheNextBatchIsWrittenOnceAfter("junk", after);
    }
  }

  /**
   * Batch 0 (a, b) committed, then {@code appended} written behind the record's back: the record still says batch 0,
   * and committing batch 1 (cc, dd) leaves the file holding each line once.
   */
  private void assertTheNextBatchIsWrittenOnceAfter(String name, String appended) throws IOException {
    Path file = folder.resolve(name + "-" + appended.length() + ".jsonl");
    CommittedFile committed = new CommittedFile(file.toString());
    try (LineCommitter.Open open = committed.open("run-1")) {
      open.commit(0, lines("a", "b"));
    }
    Files.writeString(file, appended, StandardOpenOption.APPEND);
    try (LineCommitter.Open open = committed.open("run-1")) {
      assertThat(open.lastCommitted()).isEqualTo(0);
      open.commit(1, lines("cc", "dd"));
    }
    assertThat(text(file)).as("after %s", appended).isEqualTo("a\nb\ncc\ndd\n");
    assertThat(record(file)).isEqualTo(new CommittedFile.Commit("run-1", 1, 10));
  }

  /**
   * A new run keeps every complete line the file holds and cuts off an incomplete last one (a crash mid-write); its
   * batch numbers start again at 0.
   */
  @Test
  void aNewRunKeepsTheCompleteLinesAndCutsOffAnIncompleteLastOne() throws IOException {
    Path file = folder.resolve("rows.jsonl");
    CommittedFile committed = new CommittedFile(file.toString());
    try (LineCommitter.Open open = committed.open("run-1")) {
      open.commit(0, lines("a"));
      open.commit(1, lines("b"));
    }
    Files.writeString(file, "half", StandardOpenOption.APPEND);
    try (LineCommitter.Open open = committed.open("run-2")) {
      assertThat(open.lastCommitted()).isEqualTo(-1);
      assertThat(text(file)).isEqualTo("a\nb\n");
      assertThat(record(file)).isEqualTo(new CommittedFile.Commit("run-2", -1, 4));
      open.commit(0, lines("c"));
    }
    assertThat(text(file)).isEqualTo("a\nb\nc\n");
    assertThat(record(file)).isEqualTo(new CommittedFile.Commit("run-2", 0, 6));
  }

  /**
   * A file of another program's lines: a new run keeps them, whole; one with no line end at all is emptied. Until
   * its first commit, the file says it cannot tell what it holds (the record may have been lost), and writes no
   * record of its own.
   */
  @Test
  void aNewRunOnAFileWithoutARecordKeepsItsCompleteLines() throws IOException {
    Path whole = Files.writeString(folder.resolve("whole.jsonl"), "x\ny\n");
    try (LineCommitter.Open open = new CommittedFile(whole.toString()).open("run-1")) {
      assertThat(open.unknownProgress()).contains("holds rows, but its commit record .whole.jsonl.committed");
      assertThat(CommittedFile.recordOf(whole)).doesNotExist();
      open.commit(0, lines("z"));
    }
    assertThat(text(whole)).isEqualTo("x\ny\nz\n");
    assertThat(record(whole)).isEqualTo(new CommittedFile.Commit("run-1", 0, 6));

    Path partial = Files.writeString(folder.resolve("partial.jsonl"), "no line end");
    try (LineCommitter.Open open = new CommittedFile(partial.toString()).open("run-1")) {
      assertThat(text(partial)).isEmpty();
      open.commit(0, lines("z"));
    }
    assertThat(text(partial)).isEqualTo("z\n");

    Path empty = Files.writeString(folder.resolve("empty.jsonl"), "");
    try (LineCommitter.Open open = new CommittedFile(empty.toString()).open("run-1")) {
      assertThat(open.unknownProgress()).isNull();
      assertThat(record(empty)).isEqualTo(new CommittedFile.Commit("run-1", -1, 0));
    }
  }

  /**
   * A file shorter than its record says (truncated or replaced by something else): the run goes on after what it
   * holds, with its batch number kept.
   */
  @Test
  void aFileShorterThanItsRecordIsAppendedToAfterWhatItHolds() throws IOException {
    Path file = folder.resolve("rows.jsonl");
    CommittedFile committed = new CommittedFile(file.toString());
    try (LineCommitter.Open open = committed.open("run-1")) {
      open.commit(0, lines("aaaa"));
      open.commit(1, lines("bbbb"));
    }
    Files.writeString(file, "x\n");
    try (LineCommitter.Open open = committed.open("run-1")) {
      assertThat(open.lastCommitted()).isEqualTo(1);
      assertThat(record(file)).isEqualTo(new CommittedFile.Commit("run-1", 1, 2));
      open.commit(1, lines("bbbb"));
      open.commit(2, lines("c"));
    }
    assertThat(text(file)).isEqualTo("x\nc\n");
    assertThat(record(file)).isEqualTo(new CommittedFile.Commit("run-1", 2, 4));
  }

  /**
   * Issue 34 item 6: logrotate's copytruncate empties the file while the job holds it open. The next commit goes on
   * at the file's new end: no zero bytes where the committed rows were, nothing of the new batch lost.
   */
  @Test
  void aFileTruncatedWhileOpenIsAppendedToAtItsNewEndWithoutAHole() throws IOException {
    Path file = folder.resolve("rows.jsonl");
    try (LineCommitter.Open open = new CommittedFile(file.toString()).open("run-1")) {
      open.commit(0, lines("aaaa", "bbbb"));
      Files.write(file, new byte[0], StandardOpenOption.TRUNCATE_EXISTING); // copytruncate, after its copy
      open.commit(1, lines("cccc"));
      try (var channel = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
        channel.truncate(2); // cut mid-line from outside
      }
      open.commit(2, lines("dddd"));
    }
    assertThat(text(file)).isEqualTo("dddd\n").doesNotContain("\u0000");
    assertThat(record(file)).isEqualTo(new CommittedFile.Commit("run-1", 2, 5));
  }

  /** logrotate's create mode moves the file away: the next batches go to a new file at the path, once. */
  @Test
  void aFileMovedAwayWhileOpenIsContinuedInANewFileAtThePath() throws IOException {
    Path file = folder.resolve("rows.jsonl");
    Path rotated = folder.resolve("rows.jsonl.1");
    try (LineCommitter.Open open = new CommittedFile(file.toString()).open("run-1")) {
      open.commit(0, lines("aaaa"));
      Files.move(file, rotated);
      open.commit(1, lines("bbbb"));
      open.commit(1, lines("bbbb"));
      Files.move(file, folder.resolve("rows.jsonl.2"));
      Files.writeString(file, "someone else's\n"); // replaced, not only moved
      open.commit(2, lines("cccc"));
    }
    assertThat(text(rotated)).isEqualTo("aaaa\n");
    assertThat(text(folder.resolve("rows.jsonl.2"))).isEqualTo("bbbb\n");
    assertThat(text(file)).isEqualTo("someone else's\ncccc\n");
    assertThat(record(file)).isEqualTo(new CommittedFile.Commit("run-1", 2, Files.size(file)));
  }

  /**
   * A record a host crash left empty (before records were synced) is refused with its name and what to do, rather
   * than read as no commit at all, which would append every staged batch again.
   */
  @Test
  void anEmptyCommitRecordIsRefusedNamingIt() throws IOException {
    Path file = folder.resolve("rows.jsonl");
    try (LineCommitter.Open open = new CommittedFile(file.toString()).open("run-1")) {
      open.commit(0, lines("aaaa"));
    }
    Files.write(CommittedFile.recordOf(file), new byte[0]);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new CommittedFile(file.toString()).open("run-1"))
        .isInstanceOf(IOException.class).hasMessageContaining(CommittedFile.recordOf(file).toString())
        .hasMessageContaining("cannot be read");
    assertThat(text(file)).isEqualTo("aaaa\n");
  }
}
