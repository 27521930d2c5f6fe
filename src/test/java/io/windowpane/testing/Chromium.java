package io.windowpane.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Headless Chromium for tests of the pane diagram page. Installed before the tests ({@code .ci/install-chromium},
 * which CI runs first), never by a test: where it is missing, the test fails saying what to install.
 */
public final class Chromium {

  private static final List<String> CANDIDATES = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser",
      "/usr/bin/google-chrome", "/snap/bin/chromium");
  private static Path binary;

  private Chromium() {}

  /** The page's DOM after its scripts ran. */
  public static String dumpDom(String url) throws IOException, InterruptedException {
    return run("--virtual-time-budget=2000", "--dump-dom", url);
  }

  /** A PNG of the page at the given window size. */
  public static void screenshot(String url, Path png, int width, int height) throws IOException,
      InterruptedException {
    run("--window-size=" + width + "," + height, "--screenshot=" + png.toAbsolutePath(), url);
  }

  private static String run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(binary().toString(), "--headless", "--no-sandbox",
        "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--user-data-dir="
            + Files.createTempDirectory("chromium-profile")));
    command.addAll(List.of(args));
    Path out = Files.createTempFile("chromium", ".out");
    Path err = Files.createTempFile("chromium", ".err");
    try {
      Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("chromium did not finish within 60 s: " + command);
      }
      if (process.exitValue() != 0) {
        throw new AssertionError("chromium failed (" + process.exitValue() + "): " + Files.readString(err));
      }
      return Files.readString(out, StandardCharsets.UTF_8);
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
      deleteProfiles(command);
    }
  }

  private static void deleteProfiles(List<String> command) throws IOException {
    for (String arg : command) {
      if (arg.startsWith("--user-data-dir=")) {
        org.springframework.util.FileSystemUtils.deleteRecursively(Path.of(arg.substring("--user-data-dir=".length())));
      }
    }
  }

  private static synchronized Path binary() throws IOException, InterruptedException {
    if (binary != null) {
      return binary;
    }
    binary = find();
    if (binary == null) {
      throw new AssertionError("The browser tests need Chromium: run bash .ci/install-chromium as root, or install"
          + " it (Debian/Ubuntu: sudo apt-get install chromium)");
    }
    return binary;
  }

  private static Path find() {
    return CANDIDATES.stream().map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
  }
}
