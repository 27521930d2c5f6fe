package io.windowpane.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  @Test
  void aRecursiveDeleteRemovesTheTreeButNotWhatItsLinksPointTo(@TempDir Path dir) throws Exception {
    Path outside = Files.writeString(dir.resolve("outside.txt"), "keep");
    Path tree = Files.createDirectories(dir.resolve("tree/a/b"));
    Files.writeString(tree.resolve("file.txt"), "x");
    Files.createSymbolicLink(dir.resolve("tree/a/link"), outside);
    Files.createSymbolicLink(dir.resolve("tree/folder-link"), dir);

    TempFolders.deleteRecursively(dir.resolve("tree"));

    assertThat(dir.resolve("tree")).doesNotExist();
    assertThat(outside).hasContent("keep");
    TempFolders.deleteRecursively(dir.resolve("tree")); // gone already: nothing to do, no error
    TempFolders.deleteRecursively(outside); // a single file
    assertThat(outside).doesNotExist();
  }
}
