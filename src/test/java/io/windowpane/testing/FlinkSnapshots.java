package io.windowpane.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;

/** Checkpoint folders as Flink leaves complete ones, for tests of what a start resumes from. */
public final class FlinkSnapshots {

  private FlinkSnapshots() {}

  /** Writes {@code folder/_metadata} as Flink's own writer does, for checkpoint {@code id} with no state. */
  public static Path complete(Path folder, long id) throws IOException {
    Files.createDirectories(folder);
    Path metadata = folder.resolve("_metadata");
    try (OutputStream out = Files.newOutputStream(metadata)) {
      Checkpoints.storeCheckpointMetadata(new CheckpointMetadata(id, List.of(), List.of()), out);
    }
    return metadata;
  }
}
