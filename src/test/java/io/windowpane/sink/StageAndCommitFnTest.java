package io.windowpane.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.windowpane.sink.ExactlyOnceLines.StageAndCommitFn;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.runners.core.InMemoryBundleFinalizer;
import org.apache.beam.runners.core.InMemoryStateInternals;
import org.apache.beam.runners.core.StateNamespaces;
import org.apache.beam.runners.core.StateTags;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.values.KV;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The staging side of the exactly-once commit protocol ({@link StageAndCommitFn}), driven step by step as Flink
 * drives it: bundles, the operator's bundle finalizer handed to each checkpoint, checkpoint notifications delivered,
 * lost, or never reached because the worker died, and a restore from the state of a completed checkpoint. Each test
 * fails at one such step and counts every line in the file.
 */
class StageAndCommitFnTest {

  @TempDir Path dir;
  private Path file;
  private InMemoryStateInternals<Integer> state;
  /** The operator's finalizer: what a bundle registers waits in it until the next checkpoint takes it. */
  private InMemoryBundleFinalizer finalizer;

  @BeforeEach
  void freshOperator() {
    file = dir.resolve("rows.jsonl");
    state = InMemoryStateInternals.forKey(0);
    finalizer = new InMemoryBundleFinalizer();
  }

  @Test
  void aCompletedCheckpointCommitsTheBatchesItTook() throws Exception {
    StageAndCommitFn fn = started();
    bundle(fn, "a", "b");
    List<InMemoryBundleFinalizer.Finalization> checkpoint1 = checkpoint();
    assertThat(lines()).as("visible only once its checkpoint completes").isEmpty();

    complete(checkpoint1);
    assertThat(lines()).containsExactly("a", "b");
    bundle(fn, "c");
    complete(checkpoint());
    assertThat(lines()).containsExactly("a", "b", "c");
  }

  /**
   * Issue 34 item 2: the notification of the checkpoint that took a batch is lost (Flink notifies each checkpoint's
   * callbacks for that checkpoint only) and no line comes after it. The recovery timer asks the next checkpoint to
   * commit what is staged, and that one does.
   */
  @Test
  void aBatchWhoseCheckpointNotificationIsLostIsCommittedByTheNextCheckpointOnAQuietStream() throws Exception {
    StageAndCommitFn fn = started();
    bundle(fn, "a", "b");
    checkpoint(); // completes, but this step is never told

    fn.onRecover(staged(), timer()); // a second later, nothing new came
    complete(checkpoint());

    assertThat(lines()).containsExactly("a", "b");
    fn.onRecover(staged(), timer());
    complete(checkpoint());
    assertThat(lines()).as("written once").containsExactly("a", "b");
    assertThat(staged().read()).as("committed batches leave the state").isEmpty();
  }

  /** Without anything staged, the timer asks nothing of the checkpoint. */
  @Test
  void withNothingStagedTheTimerRegistersNoCommit() throws Exception {
    StageAndCommitFn fn = started();
    bundle(fn, "a");
    complete(checkpoint());
    fn.onRecover(staged(), timer());
    assertThat(checkpoint()).isEmpty();
  }

  /**
   * The worker dies after the checkpoint that took a batch completed and before it was told (or after the append and
   * before the commit record, which {@code CommittedFileTest} covers): the job restarts from that checkpoint's state,
   * and the restored batches are committed once, by the timer, with no new line.
   */
  @Test
  void aRestartFromACompletedCheckpointCommitsItsStagedBatchesOnce() throws Exception {
    StageAndCommitFn before = started();
    bundle(before, "a");
    complete(checkpoint());
    bundle(before, "b", "c");
    checkpoint(); // completes; the worker dies before the notification
    bundle(before, "d"); // after the checkpoint: lost with the worker, produced again after the restore

    InMemoryStateInternals<Integer> restored = InMemoryStateInternals.forKey(0);
    restored.state(StateNamespaces.global(), stagedTag()).add(KV.of(1L, KV.of(null, "b")));
    restored.state(StateNamespaces.global(), stagedTag()).add(KV.of(1L, KV.of(null, "c")));
    restored.state(StateNamespaces.global(), nextBatchTag()).write(2L);
    state = restored;
    finalizer = new InMemoryBundleFinalizer();
    StageAndCommitFn after = started();
    after.onRecover(staged(), timer());
    assertThat(lines()).containsExactly("a", "b", "c");

    bundle(after, "d");
    complete(checkpoint());
    after.onRecover(staged(), timer());
    assertThat(lines()).containsExactly("a", "b", "c", "d");
  }

  /** A restore from a checkpoint whose batches were all written before the crash writes nothing again. */
  @Test
  void aRestoreOfBatchesAlreadyWrittenWritesNothingTwice() throws Exception {
    StageAndCommitFn before = started();
    bundle(before, "a", "b");
    List<InMemoryBundleFinalizer.Finalization> checkpoint1 = checkpoint();
    complete(checkpoint1); // written; then the worker dies before the state drops them

    InMemoryStateInternals<Integer> restored = InMemoryStateInternals.forKey(0);
    restored.state(StateNamespaces.global(), stagedTag()).add(KV.of(0L, KV.of(null, "a")));
    restored.state(StateNamespaces.global(), stagedTag()).add(KV.of(0L, KV.of(null, "b")));
    restored.state(StateNamespaces.global(), nextBatchTag()).write(1L);
    state = restored;
    StageAndCommitFn after = started();
    bundle(after, "c");
    complete(checkpoint());

    assertThat(lines()).containsExactly("a", "b", "c");
  }

  /**
   * Issue 34 item 3: a resume whose file holds rows but lost its commit record (a copy of {@code *.jsonl} only) fails
   * with the reason rather than write its restored batches a second time, at every attempt; a run with nothing to
   * restore goes on over such a file.
   */
  @Test
  void aResumeOverAFileThatLostItsCommitRecordFailsRatherThanWriteTwice() throws Exception {
    StageAndCommitFn before = started();
    bundle(before, "a");
    complete(checkpoint());
    bundle(before, "b");
    checkpoint(); // completes; the worker dies before the notification
    Files.delete(CommittedFile.recordOf(file)); // and the record is lost, e.g. by a copy of *.jsonl
    String held = Files.readString(file);

    for (int attempt = 1; attempt <= 2; attempt++) {
      state = InMemoryStateInternals.forKey(0);
      state.state(StateNamespaces.global(), stagedTag()).add(KV.of(1L, KV.of(null, "b")));
      state.state(StateNamespaces.global(), nextBatchTag()).write(2L);
      StageAndCommitFn after = started();
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> after.onRecover(staged(), timer()))
          .as("attempt " + attempt).isInstanceOf(java.io.IOException.class)
          .hasMessageContaining("commit record .rows.jsonl.committed is missing")
          .hasMessageContaining("1 staged batch(es)");
      assertThat(Files.readString(file)).isEqualTo(held);
      assertThat(CommittedFile.recordOf(file)).doesNotExist();
    }

    state = InMemoryStateInternals.forKey(0); // a fresh run: nothing to restore
    finalizer = new InMemoryBundleFinalizer();
    StageAndCommitFn fresh = started();
    bundle(fresh, "c");
    complete(checkpoint());
    assertThat(lines()).containsExactly("a", "c");
  }

  private StageAndCommitFn started() {
    StageAndCommitFn fn = new StageAndCommitFn(new CommittedFile(file.toString()), "run-1");
    fn.setup();
    return fn;
  }

  private void bundle(StageAndCommitFn fn, String... lines) throws Exception {
    fn.startBundle();
    for (String line : lines) {
      fn.processElement(KV.of(0, KV.of(null, line)), state.state(StateNamespaces.global(), nextBatchTag()),
          staged(), timer(), finalizer);
    }
    fn.finishBundle();
  }

  /** What Flink's snapshot does with the operator's finalizer: the callbacks go with this checkpoint. */
  private List<InMemoryBundleFinalizer.Finalization> checkpoint() {
    return finalizer.getAndClearFinalizations();
  }

  /** The checkpoint's completion, notified. */
  private static void complete(List<InMemoryBundleFinalizer.Finalization> checkpoint) throws Exception {
    for (InMemoryBundleFinalizer.Finalization finalization : checkpoint) {
      finalization.getCallback().onBundleSuccess();
    }
  }

  private BagState<KV<Long, KV<String, String>>> staged() {
    return state.state(StateNamespaces.global(), stagedTag());
  }

  private static org.apache.beam.runners.core.StateTag<BagState<KV<Long, KV<String, String>>>> stagedTag() {
    return StateTags.bag("staged",
        KvCoder.of(VarLongCoder.of(), KvCoder.of(NullableCoder.of(StringUtf8Coder.of()), StringUtf8Coder.of())));
  }

  private static org.apache.beam.runners.core.StateTag<ValueState<Long>> nextBatchTag() {
    return StateTags.value("nextBatch", VarLongCoder.of());
  }

  /** A timer that takes any setting (when it fires is up to the test). */
  private static Timer timer() {
    return (Timer) Proxy.newProxyInstance(Timer.class.getClassLoader(), new Class<?>[] {Timer.class},
        (proxy, method, args) -> method.getReturnType() == Timer.class ? proxy : null);
  }

  private List<String> lines() throws Exception {
    return Files.exists(file) ? Files.readAllLines(file) : List.of();
  }
}
