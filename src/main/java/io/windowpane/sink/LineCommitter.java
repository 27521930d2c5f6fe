package io.windowpane.sink;

import java.io.Closeable;
import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import org.apache.beam.sdk.values.KV;

/**
 * Where {@link ExactlyOnceLines} commits its batches: an output that remembers, atomically with the lines, the number
 * of the last batch it holds, so that a batch handed over again after a crash is recognised and skipped.
 */
interface LineCommitter extends Serializable {

  /** Opens the output for a run's batches (on the worker). */
  Open open(String run) throws IOException;

  /** An output opened for a run. */
  interface Open extends Closeable {

    /** The number of the last batch of this run that the output holds, or -1. */
    long lastCommitted() throws IOException;

    /**
     * Writes the lines (key, value) of batch {@code batch} and records its number, both or neither; does nothing for
     * a batch already held.
     */
    void commit(long batch, List<KV<String, String>> lines) throws IOException;

    /**
     * Why this output cannot tell which batches it holds (a file with rows whose commit record is gone), or null
     * when it can: batches restored from a checkpoint must not be committed to it then, or they could be written
     * twice.
     */
    default String unknownProgress() {
      return null;
    }

    /**
     * Says that this run committed every batch before {@code batch} (the lowest one a restored checkpoint still
     * stages): an output whose count fell short because it looked back only so far ({@link #lastCommitted} lower)
     * looks further, rather than take the restored batches for unwritten.
     */
    default void committedBefore(long batch) throws IOException {}
  }
}
