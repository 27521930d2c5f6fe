package io.windowpane.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the application in its own JVM, as a user does, to observe what only a process shows: exit codes, what
 * goes to stdout and stderr, and config/application.yml in the working directory.
 */
public final class AppProcess {

  /** What a finished run left behind. */
  public record Result(int exitCode, String stdout, String stderr) {}

  private AppProcess() {}

  public static Result run(Path workingDir, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("io.windowpane.WindowpaneApplication");
    command.add("--server.port=0");
    command.addAll(List.of(args));
    try {
      Path out = Files.createTempFile("app", ".out");
      Path err = Files.createTempFile("app", ".err");
      Process process = new ProcessBuilder(command).directory(workingDir.toFile())
          .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("the application did not exit within 120 s: " + Files.readString(err));
      }
      try {
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
