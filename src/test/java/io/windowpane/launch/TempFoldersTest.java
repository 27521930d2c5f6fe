package io.windowpane.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A killed process's temporary folders are removed by the next process that makes one. */
class TempFoldersTest {

  @Test
  void foldersOfProcessesThatAreGoneAreRemovedAndLiveOnesKept() throws Exception {
    String prefix = "windowpane-test-" + System.nanoTime() + "-";
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    Path stale = Files.createDirectories(tmp.resolve(prefix + gone.pid() + "-abc/inside"));
    Path live = Files.createDirectories(tmp.resolve(prefix + ProcessHandle.current().pid() + "-def"));
    Path mine = TempFolders.create(prefix);
    try {
      assertThat(stale.getParent()).doesNotExist();
      assertThat(live).exists();
      assertThat(mine.getFileName().toString()).startsWith(prefix + ProcessHandle.current().pid() + "-");
    } finally {
      Files.deleteIfExists(live);
      Files.deleteIfExists(mine);
    }
  }
}
