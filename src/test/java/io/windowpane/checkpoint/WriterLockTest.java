package io.windowpane.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.windowpane.config.InvalidJobSpecException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A held lock refuses a second holder, naming the first; a released one is taken again. Between processes (and
 * after a kill -9): {@code OneWriterIT}.
 */
class WriterLockTest {

  @TempDir Path dir;

  @Test
  void aSecondHolderIsRefusedNamingTheFirstUntilItLetsGo() {
    Path file = dir.resolve("checkpoints/.windowpane.lock");
    try (WriterLock first = WriterLock.take(file, "agg.checkpoint.dir", "checkpoints")) {
      assertThat(file).content().startsWith("held by pid " + ProcessHandle.current().pid() + " on ");

      assertThatThrownBy(() -> WriterLock.take(file, "agg.checkpoint.dir", "checkpoints"))
          .isInstanceOfSatisfying(InvalidJobSpecException.class, e -> {
            assertThat(e.property()).isEqualTo("agg.checkpoint.dir");
            assertThat(e.value()).isEqualTo("checkpoints");
            assertThat(e.problem()).contains("in use by another running windowpane")
                .contains("held by pid " + ProcessHandle.current().pid()).contains(file.toString());
          });
      assertThat(file).as("a refused taker leaves the holder's record").content().startsWith("held by pid");
    }
    try (WriterLock again = WriterLock.take(file, "agg.checkpoint.dir", "checkpoints")) {
      assertThat(again.file()).isEqualTo(file);
    }
  }

  @Test
  void aLockThatCannotBeCreatedIsRefusedAsTheProperty() throws Exception {
    Path notAFolder = Files.writeString(dir.resolve("plain-file"), "x");
    assertThatThrownBy(() -> WriterLock.take(notAFolder.resolve(".windowpane.lock"), "agg.checkpoint.dir", "p"))
        .isInstanceOfSatisfying(InvalidJobSpecException.class,
            e -> assertThat(e.problem()).startsWith("cannot be locked for this instance"));
  }
}
