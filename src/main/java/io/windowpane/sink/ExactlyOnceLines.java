package io.windowpane.sink;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes lines exactly once on a checkpointing runner (a live job on Flink, SPEC section 13): a two-phase commit, as
 * Flink's own exactly-once sinks make one. Lines become visible when the checkpoint that covers them completes; after a
 * crash, nothing is written twice and nothing that a completed checkpoint covers is lost.
 *
 * <ol>
 *   <li><b>Stage.</b> Each bundle's lines are one batch, numbered in the job's state and kept there (so a checkpoint
 *       holds them, on whichever worker the job resumes).
 *   <li><b>Commit.</b> When the checkpoint that took the batch completes, Beam's bundle finalization (Flink's
 *       checkpoint-complete notification) commits it: the output writes the lines and the batch number together
 *       ({@link LineCommitter}), and skips a batch it already holds.
 *   <li><b>Recover.</b> After a restart from a checkpoint, the batches in the restored state all belong to completed
 *       checkpoints: they are committed first (those committed before the crash are skipped). A timer does it when no
 *       new line comes. Batches staged after that checkpoint are not in the state; their lines are produced again.
 * </ol>
 *
 * Everything goes through one key, so one worker writes the output, batch after batch, in order.
 */
public class ExactlyOnceLines extends PTransform<PCollection<KV<String, String>>, PDone> {

  private final LineCommitter committer;
  private final String run;

  /**
   * @param run the checkpointed run: batch numbers start again at 0 with a new run, which its output tells apart
   */
  ExactlyOnceLines(LineCommitter committer, String run) {
    this.committer = committer;
    this.run = run;
  }

  @Override
  public PDone expand(PCollection<KV<String, String>> lines) {
    lines
        // the batch counter and the staged lines are one state for the whole stream, not one per window
        .apply("IntoOneWindow", Window.into(new GlobalWindows()))
        .apply("OneWriter", WithKeys.of(0))
        .setCoder(KvCoder.of(VarIntCoder.of(), LINE_CODER))
        .apply("StageAndCommit", ParDo.of(new StageAndCommitFn(committer, run)));
    return PDone.in(lines.getPipeline());
  }

  private static final KvCoder<String, String> LINE_CODER =
      KvCoder.of(NullableCoder.of(StringUtf8Coder.of()), StringUtf8Coder.of());

  static final class StageAndCommitFn extends DoFn<KV<Integer, KV<String, String>>, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(StageAndCommitFn.class);
    /** How often staged batches are looked at when no line comes (after a restart: recovered). */
    private static final Duration RECOVERY_CHECK = Duration.standardSeconds(1);
    /** Bundle finalizations are kept until their checkpoint completes, however long that takes. */
    private static final Duration NO_EXPIRY = Duration.standardDays(365);

    private final LineCommitter committer;
    private final String run;

    @StateId("nextBatch")
    private final StateSpec<ValueState<Long>> nextBatchSpec = StateSpecs.value(VarLongCoder.of());

    @StateId("staged")
    private final StateSpec<BagState<KV<Long, KV<String, String>>>> stagedSpec =
        StateSpecs.bag(KvCoder.of(VarLongCoder.of(), LINE_CODER));

    @TimerId("recover")
    private final TimerSpec recoverSpec = TimerSpecs.timer(TimeDomain.PROCESSING_TIME);

    private transient LineCommitter.Open output;
    /** The state this instance started from has been committed (done once, before anything new is staged). */
    private transient boolean recovered;
    /** Batches this instance staged, by number, until their checkpoint completes. */
    private transient NavigableMap<Long, List<KV<String, String>>> uncommitted;
    /** The lines of the bundle under way, or null between bundles. */
    private transient List<KV<String, String>> bundle;
    private transient long bundleBatch;
    /** The runner's bundle finalizer, as the last line brought it ({@link #sweepWithNextCheckpoint}). */
    private transient BundleFinalizer finalizer;
    private transient boolean sweepRefused;

    StageAndCommitFn(LineCommitter committer, String run) {
      this.committer = committer;
      this.run = run;
    }

    @Setup
    public void setup() {
      uncommitted = new TreeMap<>();
    }

    @StartBundle
    public void startBundle() {
      bundle = null;
    }

    @ProcessElement
    public void processElement(@Element KV<Integer, KV<String, String>> line,
        @StateId("nextBatch") ValueState<Long> nextBatch,
        @StateId("staged") BagState<KV<Long, KV<String, String>>> staged,
        @TimerId("recover") Timer recover, BundleFinalizer finalizer) throws IOException {
      recoverOnce(staged);
      if (bundle == null) {
        dropCommitted(staged);
        Long stored = nextBatch.read();
        bundleBatch = stored == null ? 0 : stored;
        nextBatch.write(bundleBatch + 1);
        bundle = new ArrayList<>();
        uncommitted.put(bundleBatch, bundle);
        long batch = bundleBatch;
        finalizer.afterBundleCommit(Instant.now().plus(NO_EXPIRY), () -> commitUpTo(batch));
        this.finalizer = finalizer;
        recover.offset(RECOVERY_CHECK).setRelative();
      }
      bundle.add(line.getValue());
      staged.add(KV.of(bundleBatch, line.getValue()));
    }

    @FinishBundle
    public void finishBundle() {
      bundle = null;
    }

    /** Runs while staged batches wait, so that a job restarted with nothing new to write still recovers them. */
    @OnTimer("recover")
    public void onRecover(@StateId("staged") BagState<KV<Long, KV<String, String>>> staged,
        @TimerId("recover") Timer recover) throws IOException {
      recoverOnce(staged);
      dropCommitted(staged);
      if (!staged.isEmpty().read()) {
        sweepWithNextCheckpoint();
        recover.offset(RECOVERY_CHECK).setRelative();
      }
    }

    /**
     * Asks the next checkpoint to commit every batch staged so far, so that a batch whose own checkpoint never
     * notified this step (an aborted checkpoint, a notification Flink skipped: it notifies each checkpoint's
     * callbacks only for that checkpoint) is committed by the next one that does, on a quiet stream too, instead of
     * waiting for the next line. Beam offers bundle finalization only while an element is processed, not in a
     * timer; on Flink the finalizer is the operator's own, which hands what it is given to the next checkpoint, so
     * the one a line brought is used here. A runner that refuses leaves the batches to the next line's checkpoint.
     */
    private void sweepWithNextCheckpoint() {
      if (finalizer == null || uncommitted.isEmpty() || sweepRefused) {
        return;
      }
      long upTo = uncommitted.lastKey();
      try {
        finalizer.afterBundleCommit(Instant.now().plus(NO_EXPIRY), () -> commitUpTo(upTo));
      } catch (RuntimeException refused) {
        sweepRefused = true;
        LOG.info("This runner takes no commit request from a timer ({}): staged batches wait for the next line's"
            + " checkpoint", refused.toString());
      }
    }

    @Teardown
    public void teardown() throws IOException {
      if (output != null) {
        output.close();
      }
    }

    /** Commits every batch this instance staged, up to {@code batch}, in order: its checkpoint has completed. */
    private void commitUpTo(long batch) throws IOException {
      Map<Long, List<KV<String, String>>> ready = uncommitted.headMap(batch, true);
      for (Map.Entry<Long, List<KV<String, String>>> staged : ready.entrySet()) {
        output().commit(staged.getKey(), staged.getValue());
      }
      ready.clear();
    }

    /**
     * The first time this instance sees its state: any batch in it was staged before the checkpoint the job started
     * from, which is complete, so it is committed now (the output skips those it already holds).
     */
    private void recoverOnce(BagState<KV<Long, KV<String, String>>> staged) throws IOException {
      if (recovered) {
        return;
      }
      recovered = true;
      NavigableMap<Long, List<KV<String, String>>> restored = new TreeMap<>();
      for (KV<Long, KV<String, String>> line : staged.read()) {
        restored.computeIfAbsent(line.getKey(), batch -> new ArrayList<>()).add(line.getValue());
      }
      if (restored.isEmpty()) {
        return;
      }
      String unknown = output().unknownProgress();
      if (unknown != null) {
        // fails the task rather than write rows twice (Flink restarts it: a start refuses this before the job is
        // submitted, JobOutputs.prepareCommitRecords, so it comes here only if the record vanished in between)
        throw new IOException(unknown + " while the job resumes " + restored.size() + " staged batch(es) of its"
            + " checkpoint: they could not be told apart from rows already written. Put the record back (copy and"
            + " restore it with the file), or move the file away for the resumed job to write a new one");
      }
      output().committedBefore(restored.firstKey()); // batches are forgotten only once written
      long before = output().lastCommitted();
      for (Map.Entry<Long, List<KV<String, String>>> batch : restored.entrySet()) {
        output().commit(batch.getKey(), batch.getValue());
      }
      LOG.info("Recovered {} staged batch(es) of a completed checkpoint ({} already written)", restored.size(),
          restored.headMap(before, true).size());
      staged.clear();
    }

    /** Forgets staged batches that are written. */
    private void dropCommitted(BagState<KV<Long, KV<String, String>>> staged) throws IOException {
      long committed = output().lastCommitted();
      List<KV<Long, KV<String, String>>> waiting = new ArrayList<>();
      boolean any = false;
      for (KV<Long, KV<String, String>> line : staged.read()) {
        any = true;
        if (line.getKey() > committed) {
          waiting.add(line);
        }
      }
      if (any) {
        staged.clear();
        waiting.forEach(staged::add);
      }
    }

    private LineCommitter.Open output() throws IOException {
      if (output == null) {
        output = committer.open(run);
      }
      return output;
    }
  }
}
